package io.keygate.filter;

import io.keygate.limits.CurrentBoard;
import io.keygate.metrics.CurrentCounts;
import java.util.function.LongSupplier;

/**
 * Where the filter gets its verdicts (the caching side of the filter; not the verifier, which is the EJB in
 * {@code keygate.war}): from the {@link VerdictCache} when it has them and may use them, otherwise from
 * {@link VerifierClient}, with concurrent misses for one hash sharing a call ({@link Coalescer}).
 * At steady state a request with a known token costs no call to {@code keygate.war} and no store query.
 *
 * <p>Per request on a hit: one volatile read of the change generation ({@link InvalidationSync}), one
 * {@link java.util.concurrent.ConcurrentHashMap} look-up and a clock read. A verdict is stored only when no
 * change was committed while it was being fetched. Hits, misses and the duration of each call are counted for the
 * server's metrics ({@link CurrentCounts}: a volatile read and a {@link java.util.concurrent.atomic.LongAdder}).
 * {@code keygate.cache.max-entries=0} switches the cache off: every request asks the verifier.
 */
final class Verdicts {

    private final VerifierClient verifier;
    private final LongSupplier clock;
    private final boolean enabled;
    private final VerdictCache cache;
    private final InvalidationSync sync;
    private final CurrentCounts counts;
    private final Coalescer coalescer = new Coalescer();

    /** A private board and counts: for tests of the verdicts alone. */
    Verdicts(VerifierClient verifier, CacheSettings settings, LongSupplier clock) {
        this(verifier, settings, clock, new CurrentBoard(), new CurrentCounts(), "");
    }

    /**
     * @param clock       epoch milliseconds, {@code System::currentTimeMillis} on a server
     * @param board       switched to the server's count board when subscribed ({@link InvalidationSync})
     * @param counts      where hits, misses and call durations are counted, switched to the server's when subscribed
     * @param application the WAR's context path, which names its counts
     */
    Verdicts(VerifierClient verifier, CacheSettings settings, LongSupplier clock, CurrentBoard board,
            CurrentCounts counts, String application) {
        this.verifier = verifier;
        this.clock = clock;
        this.enabled = settings.enabled();
        this.cache = new VerdictCache(settings);
        this.counts = counts;
        this.sync = new InvalidationSync(verifier, cache, clock, board, counts, application);
    }

    /** The verdict on {@code hash} (SHA-256, lower-case hex). Never throws. */
    VerificationResult verify(String hash) {
        if (!enabled) {
            sync.follow();
            counts.get().cacheMiss();
            return timedCall(hash);
        }
        long generation = sync.enter();
        if (generation != InvalidationSync.BYPASS) {
            VerificationResult hit = cache.lookup(hash, clock.getAsLong());
            if (hit != null) {
                counts.get().cacheHit();
                return hit;
            }
        }
        counts.get().cacheMiss();
        return coalescer.verify(hash, generation, () -> {
            VerificationResult result = timedCall(hash);
            sync.remember(hash, result, generation);
            return result;
        });
    }

    /** Asks the verifier, and counts how long that took for the metrics. */
    private VerificationResult timedCall(String hash) {
        long start = System.nanoTime();
        VerificationResult result = verifier.verify(hash);
        counts.get().verifierCall(System.nanoTime() - start);
        return result;
    }

    /** For tests and diagnostics: what is cached. */
    VerdictCache cache() {
        return cache;
    }
}
