package io.keygate.filter.handover;

import io.keygate.protocol.VerifierProtocol;
import io.keygate.token.TokenFormat;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Counts the authentications this WAR refused, per token prefix, client address and reason, in bounded memory,
 * until {@link FailureHandOver} takes the counts for the audit log. Never a token or its hash: a presented token is
 * reduced to its non-secret prefix ({@link #prefix}) before it is counted.
 *
 * <p>Bounded: at most {@value #MAX_ENTRIES} distinct keys are counted between two hand-overs; failures of further
 * keys only add to one overflow counter, so an attack with random tokens from random addresses costs a fixed amount
 * of memory. Counting is one map look-up and one atomic increment; the hand-over takes each count by swapping it to a
 * negative value and removes the key, and a request that still finds such a detached count starts a fresh one (as in
 * {@link UsageHandOver}), so no failure counted concurrently with a hand-over is lost or counted twice.
 */
public final class FailureTally {

    public static final int MAX_ENTRIES = VerifierProtocol.MAX_FAILURE_ENTRIES;

    /** Why the filter refused, as {@link VerifierProtocol#REASON} names it. */
    public enum Reason {
        /** A malformed bearer header: 400 {@code invalid_request}. */
        MALFORMED("malformed"),
        /** Not a Keygate token, or its checksum does not match: 401 without asking the verifier. */
        CHECKSUM("checksum"),
        /** Unknown, revoked, or its tenant switched off: 401. */
        INVALID("invalid"),
        /** Expired: 401. */
        EXPIRED("expired"),
        /** The client failed too often: 429 before its token is looked at. */
        THROTTLED("throttled"),
        /** A valid token used from an address it is not allowed from: 403. */
        ADDRESS("address");

        final String wire;

        Reason(String wire) {
            this.wire = wire;
        }
    }

    /**
     * What a count is kept per.
     *
     * @param prefix the token's non-secret prefix, or {@code null} when none was presented in Keygate's shape
     * @param client the client address, or {@code unknown} ({@code RequestLimits.UNKNOWN_CLIENT})
     * @param tenant the token's tenant, only where the token was known as valid; otherwise {@code null}
     */
    record Key(String prefix, String client, Reason reason, String tenant) {
    }

    /** A count the hand-over took out of the map: a request that still finds it counts on a fresh one. */
    private static final long DETACHED = Long.MIN_VALUE;

    private final int maxEntries;
    private final ConcurrentHashMap<Key, AtomicLong> tallies = new ConcurrentHashMap<>();
    /** Keys in {@link #tallies}, counted on insertion and on removal so that the bound is exact. */
    private final AtomicInteger entries = new AtomicInteger();
    private final AtomicLong overflow = new AtomicLong();

    public FailureTally() {
        this(MAX_ENTRIES);
    }

    public FailureTally(int maxEntries) {
        this.maxEntries = maxEntries;
    }

    /** What an audit entry may show of {@code presented}: {@link TokenFormat#loggablePrefix}, or {@code null}. */
    public static String prefix(String presented) {
        return TokenFormat.loggablePrefix(presented);
    }

    /** Counts one refusal; {@code presented} is reduced to its {@link #prefix} at once. */
    public void count(String presented, String client, Reason reason, String tenant) {
        Key key = new Key(prefix(presented), client, reason, tenant);
        while (true) {
            AtomicLong tally = tallies.get(key);
            if (tally == null) {
                if (entries.incrementAndGet() > maxEntries) {
                    entries.decrementAndGet();
                    overflow.incrementAndGet();
                    return;
                }
                AtomicLong fresh = new AtomicLong();
                tally = tallies.putIfAbsent(key, fresh);
                if (tally == null) {
                    tally = fresh;
                } else {
                    entries.decrementAndGet();
                }
            }
            if (tally.getAndIncrement() >= 0) {
                return;
            }
            // Detached by a hand-over that is removing it: count on a fresh one.
            remove(key, tally);
        }
    }

    /** Receives what {@link #drain} took. */
    @FunctionalInterface
    interface Sink {
        void add(Key key, long failures);
    }

    /**
     * Gives every count since the last drain to {@code sink} and empties the tally, so that the next interval has
     * all {@link #MAX_ENTRIES} keys again; returns the overflow counted since. One drain at a time (the caller's
     * lock).
     */
    long drain(Sink sink) {
        tallies.forEach((key, tally) -> {
            long failures = tally.getAndSet(DETACHED);
            remove(key, tally);
            if (failures > 0) {
                sink.add(key, failures);
            }
        });
        return overflow.getAndSet(0);
    }

    /** Keys counted right now, at most the bound. */
    public int entries() {
        return tallies.size();
    }

    private void remove(Key key, AtomicLong tally) {
        if (tallies.remove(key, tally)) {
            entries.decrementAndGet();
        }
    }
}
