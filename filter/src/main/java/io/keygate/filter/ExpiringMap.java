package io.keygate.filter;

import java.util.Arrays;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Predicate;

/**
 * A map from token hash to a value with a deadline, never holding more than {@code maxEntries}: the storage of
 * {@link VerdictCache}.
 *
 * <p>Reads take no lock ({@link ConcurrentHashMap#get}), because they are the hot path. Writes are serialised
 * on this object, which is cheap because a write follows a call to the verifier, and it is what keeps the bound
 * strict: when the map is full, a write first drops entries past their deadline and then, if none were, the
 * oldest tenth by insertion. Oldest-first is the right victim for a map whose every entry lives for a fixed time:
 * it is the one closest to its deadline anyway. Dropping a tenth at once keeps the cost (a scan and a sort of the
 * insertion numbers) at a few microseconds per write on average, instead of a scan per write.
 *
 * <p>No access order is kept: recording a use on every read would turn each read into a write to memory shared
 * by all threads.
 *
 * @param <V> the value
 */
final class ExpiringMap<V> {

    private record Entry<V>(V value, long deadline, long insertion) {
    }

    private final ConcurrentHashMap<String, Entry<V>> entries;
    private final int maxEntries;
    /** Insertion counter, guarded by {@code this}. */
    private long insertions;

    /** @param maxEntries at most this many entries; 0 keeps nothing */
    ExpiringMap(int maxEntries) {
        if (maxEntries < 0) {
            throw new IllegalArgumentException("maxEntries must not be negative");
        }
        this.maxEntries = maxEntries;
        this.entries = new ConcurrentHashMap<>(Math.min(maxEntries, 1024));
    }

    /** The value for {@code key}, or {@code null} when there is none or its deadline has come. */
    V get(String key, long now) {
        Entry<V> entry = entries.get(key);
        if (entry == null) {
            return null;
        }
        if (now >= entry.deadline()) {
            entries.remove(key, entry);
            return null;
        }
        return entry.value();
    }

    /** Keeps {@code value} for {@code key} until {@code deadline} (epoch milliseconds), making room if need be. */
    synchronized void put(String key, V value, long deadline, long now) {
        if (maxEntries == 0 || deadline <= now) {
            return;
        }
        if (entries.size() >= maxEntries && !entries.containsKey(key)) {
            makeRoom(now);
        }
        entries.put(key, new Entry<>(value, deadline, insertions++));
    }

    void remove(String key) {
        entries.remove(key);
    }

    /** Removes every entry whose value matches. */
    void removeIf(Predicate<? super V> condition) {
        entries.values().removeIf(entry -> condition.test(entry.value()));
    }

    void clear() {
        entries.clear();
    }

    int size() {
        return entries.size();
    }

    int maxEntries() {
        return maxEntries;
    }

    private void makeRoom(long now) {
        entries.values().removeIf(entry -> now >= entry.deadline());
        if (entries.size() < maxEntries) {
            return;
        }
        long[] order = entries.values().stream().mapToLong(Entry::insertion).toArray();
        if (order.length == 0) {
            return;
        }
        Arrays.sort(order);
        int victims = Math.min(order.length, Math.max(1, maxEntries / 10));
        long firstKept = victims < order.length ? order[victims] : Long.MAX_VALUE;
        entries.values().removeIf(entry -> entry.insertion() < firstKept);
    }
}
