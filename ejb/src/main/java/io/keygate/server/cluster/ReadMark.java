package io.keygate.server.cluster;

import java.util.Map;
import java.util.TreeMap;

/**
 * How far a reader of the message table has read, when the database numbers rows in the order transactions
 * <em>began</em> but they become visible in the order they <em>commit</em>: row 7 may be read before row 6 is
 * committed. So the reader does not simply go on after the highest id it saw. It keeps a floor below which every
 * id is settled and re-reads from there, remembering the ids above it it has taken; the floor rises over each
 * id taken, and over a missing id (a row still uncommitted, or a number the database skipped for good) only when
 * the id after the gap was seen {@code patienceNanos} ago: long enough for any insert, a short transaction, to
 * commit. While no gap is open, each read returns only new rows.
 *
 * <p>Not thread-safe: one poller uses it.
 */
final class ReadMark {

    private final long patienceNanos;
    private long floor;
    /** Ids above the floor already taken, with when each was first seen ({@link System#nanoTime()}). */
    private final TreeMap<Long, Long> taken = new TreeMap<>();

    /** @param floor the highest id that is not to be read: the table's highest id when the reader starts */
    ReadMark(long floor, long patienceNanos) {
        this.floor = floor;
        this.patienceNanos = patienceNanos;
    }

    /** Where the next read starts: every id above this may be new. */
    long floor() {
        return floor;
    }

    /** Whether {@code id}, read at {@code now}, is new: above the floor and not taken before. */
    boolean take(long id, long now) {
        if (id <= floor || taken.containsKey(id)) {
            return false;
        }
        taken.put(id, now);
        return true;
    }

    /** Raises the floor as far as the ids taken and the gaps given up on allow; call after each read. */
    void settle(long now) {
        while (!taken.isEmpty()) {
            Map.Entry<Long, Long> first = taken.firstEntry();
            if (first.getKey() != floor + 1 && now - first.getValue() < patienceNanos) {
                return; // a gap below an id seen only recently: its row may still commit
            }
            floor = first.getKey();
            taken.pollFirstEntry();
        }
    }

    /** How many ids above the floor are remembered: those above a gap still waited for. */
    int pending() {
        return taken.size();
    }
}
