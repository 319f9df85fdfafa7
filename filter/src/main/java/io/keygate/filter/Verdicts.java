package io.keygate.filter;

import io.keygate.limits.CurrentBoard;
import java.util.function.LongSupplier;

/**
 * Where the filter gets its verdicts (the caching side of the filter; not the verifier, which is the EJB in
 * {@code keygate.war}): from the {@link VerdictCache} when it has them and may use them, otherwise from
 * {@link VerifierClient}, with concurrent misses for one hash sharing a call ({@link Coalescer}).
 * At steady state a request with a known token costs no call to {@code keygate.war} and no store query.
 *
 * <p>Per request on a hit: one volatile read of the change generation ({@link InvalidationSync}), one
 * {@link java.util.concurrent.ConcurrentHashMap} look-up and a clock read. A verdict is stored only when no
 * change was committed while it was being fetched. {@code keygate.cache.max-entries=0} switches all of this off:
 * every request asks the verifier.
 */
final class Verdicts {

    private final VerifierClient verifier;
    private final LongSupplier clock;
    private final boolean enabled;
    private final VerdictCache cache;
    private final InvalidationSync sync;
    private final Coalescer coalescer = new Coalescer();

    /** A private board: for tests of the verdicts alone. */
    Verdicts(VerifierClient verifier, CacheSettings settings, LongSupplier clock) {
        this(verifier, settings, clock, new CurrentBoard());
    }

    /**
     * @param clock epoch milliseconds, {@code System::currentTimeMillis} on a server
     * @param board switched to the server's count board when subscribed ({@link InvalidationSync})
     */
    Verdicts(VerifierClient verifier, CacheSettings settings, LongSupplier clock, CurrentBoard board) {
        this.verifier = verifier;
        this.clock = clock;
        this.enabled = settings.enabled();
        this.cache = new VerdictCache(settings);
        this.sync = new InvalidationSync(verifier, cache, clock, board);
    }

    /** The verdict on {@code hash} (SHA-256, lower-case hex). Never throws. */
    VerificationResult verify(String hash) {
        if (!enabled) {
            sync.follow();
            return verifier.verify(hash);
        }
        long generation = sync.enter();
        if (generation != InvalidationSync.BYPASS) {
            VerificationResult hit = cache.lookup(hash, clock.getAsLong());
            if (hit != null) {
                return hit;
            }
        }
        return coalescer.verify(hash, generation, () -> {
            VerificationResult result = verifier.verify(hash);
            sync.remember(hash, result, generation);
            return result;
        });
    }

    /** For tests and diagnostics: what is cached. */
    VerdictCache cache() {
        return cache;
    }
}
