package io.keygate.filter;

import io.keygate.limits.CountBoard;
import io.keygate.limits.CurrentBoard;
import io.keygate.metrics.CurrentCounts;
import io.keygate.protocol.ChangeSet;
import io.keygate.protocol.VerifierProtocol;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.ReadWriteLock;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import java.util.function.LongSupplier;

/**
 * Keeps the {@link VerdictCache} no older than the verifier's last committed change, so that a revocation, a
 * rotation or a tenant switched off takes effect on the very next request in every WAR on the server.
 *
 * <p>The design: the verifier publishes a change generation, one {@link AtomicLong} shared by every filter on
 * the server ({@link VerifierProtocol#SUBSCRIBE}), and increments it after each committed change that can take
 * rights away. Each request reads it once (a volatile read, a few nanoseconds) and compares it with the
 * generation this cache was last brought up to. Equal: the cache may answer. Different: one thread takes the
 * sync lock, asks {@link VerifierProtocol#CHANGES_SINCE}, forgets what changed and moves on; a thread that
 * cannot take the lock at once does not wait and does not use the cache: it asks the verifier itself. Since the
 * admin API increments the generation before it answers, a request sent after the answer always sees the
 * change. The verifier's change log is bounded; when it no longer reaches back far enough, the cache is
 * cleared.
 *
 * <p>Why not have the verifier call every filter: it would need a registry of filters in {@code keygate.war}
 * that outlives undeployed WARs (holding their class loaders) and one call per WAR inside each admin request.
 *
 * <p>The race a cache of this kind must close: a verdict fetched before a change but stored after the
 * change was forgotten would bring the revoked token back. {@link #remember} therefore stores a verdict only if
 * the generation read before the verifier was asked is still the current one and the one the cache is synced
 * to, checked and stored under the read side of the lock that syncing holds for writing.
 *
 * <p>When {@code keygate.war} is undeployed the generation becomes {@link VerifierProtocol#RETIRED_GENERATION}: the next
 * request clears the cache, drops the verifier's proxy and subscribes again, so nothing cached is served while
 * {@code keygate.war} is away (those requests get 503 from the verifier's absence).
 *
 * <p>The server's {@link CountBoard} follows the same subscription: taken from the verifier when subscribing
 * ({@link VerifierProtocol#LIMITS}), so that this WAR counts rate limits and failures together with every other WAR
 * of the server, and dropped for the WAR's private board when the verifier retires; so do the counts behind the
 * server's metrics ({@link VerifierProtocol#METRICS}).
 */
final class InvalidationSync {

    /** What {@link #enter} returns when this request must not use the cache. */
    static final long BYPASS = Long.MIN_VALUE;

    /** A subscription: the verifier's generation, and the value the cache was last brought up to. */
    private record State(AtomicLong generation, long synced) {
    }

    private final VerifierClient verifier;
    private final VerdictCache cache;
    private final LongSupplier clock;
    private final CurrentBoard board;
    private final CurrentCounts counts;
    private final String application;
    private final ReadWriteLock lock = new ReentrantReadWriteLock();
    /** {@code null} while not subscribed. */
    private volatile State state;

    /**
     * @param counts      switched to the verifier's counts for {@code application} when subscribed
     * @param application the WAR's context path
     */
    InvalidationSync(VerifierClient verifier, VerdictCache cache, LongSupplier clock, CurrentBoard board,
            CurrentCounts counts, String application) {
        this.verifier = verifier;
        this.cache = cache;
        this.clock = clock;
        this.board = board;
        this.counts = counts;
        this.application = application;
    }

    /**
     * The generation at which this request may read the cache, bringing the cache up to date first if need be;
     * {@link #BYPASS} when it may not (not subscribed, or another thread is syncing).
     */
    long enter() {
        State current = state;
        if (current != null) {
            long generation = current.generation().get();
            if (generation == current.synced()) {
                return generation;
            }
        }
        return catchUp();
    }

    /**
     * With the verdict cache switched off: only keeps the subscription, and so the board, in step with the verifier.
     * One volatile read once subscribed.
     */
    void follow() {
        State current = state;
        if ((current != null && current.generation().get() >= 0) || !lock.writeLock().tryLock()) {
            return;
        }
        try {
            current = state;
            if (current == null || current.generation().get() < 0) {
                if (current != null) {
                    retire();
                }
                subscribe();
            }
        } finally {
            lock.writeLock().unlock();
        }
    }

    /** Stores {@code result} if nothing changed since {@code generation} was returned by {@link #enter}. */
    void remember(String hash, VerificationResult result, long generation) {
        if (generation == BYPASS || !lock.readLock().tryLock()) {
            return;
        }
        try {
            State current = state;
            if (current != null && current.synced() == generation && current.generation().get() == generation) {
                cache.remember(hash, result, clock.getAsLong());
            }
        } finally {
            lock.readLock().unlock();
        }
    }

    private long catchUp() {
        if (!lock.writeLock().tryLock()) {
            return BYPASS;
        }
        try {
            State current = state;
            if (current != null) {
                long generation = current.generation().get();
                if (generation == current.synced()) {
                    return generation;
                }
                if (generation >= 0) {
                    return sync(current, generation);
                }
                retire();
            }
            return subscribe();
        } finally {
            lock.writeLock().unlock();
        }
    }

    /** Forgets what changed since the last sync; everything when the verifier cannot say. */
    private long sync(State current, long generation) {
        ChangeSet changes = verifier.changesSince(current.synced());
        long reached;
        if (changes == null || !changes.complete() || changes.generation() < generation) {
            // The cache is empty now, and an empty cache is up to date with any generation.
            cache.clear();
            reached = generation;
        } else {
            cache.forget(changes.tokens(), changes.tenants(), changes.secrets());
            reached = changes.generation();
        }
        state = new State(current.generation(), reached);
        return reached;
    }

    /** The verifier was undeployed: nothing cached may be served, and its proxy is dead. */
    private void retire() {
        state = null;
        cache.clear();
        board.usePrivate();
        counts.usePrivate();
        verifier.forget();
    }

    private long subscribe() {
        AtomicLong generation = verifier.subscribe();
        if (generation == null) {
            return BYPASS;
        }
        long current = generation.get();
        if (current < 0) {
            // A proxy of the verifier that is going away: look it up again next time.
            verifier.forget();
            return BYPASS;
        }
        cache.clear();
        board.use(verifier.limits());
        counts.use(verifier.metrics(application));
        state = new State(generation, current);
        return current;
    }
}
