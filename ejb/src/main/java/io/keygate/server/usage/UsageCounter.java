package io.keygate.server.usage;

import io.keygate.server.store.Usage;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReadWriteLock;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import java.util.function.Consumer;
import java.util.function.Supplier;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Counts every authenticated request in memory and writes the counts in batches, so a request costs no
 * database write and no count is ever lost.
 *
 * <p>{@link #flushTo} takes each token's pending count out atomically ({@link ConcurrentHashMap#remove}); a
 * use recorded meanwhile starts a new entry and goes into the next batch. When the write fails, the batch is
 * merged back and written with the next one. The admin API adds the pending counts to what the store says,
 * so a listing is exact at once; it reads through {@link #consistently}, which keeps a batch from being
 * half-way between memory and the store while it reads (the count would seem to drop, or be counted twice).
 *
 * <p>Protected WARs count their requests themselves and hand the counts over in batches ({@link #recordAll});
 * {@link #close} writes the last batch when {@code keygate.war} stops, after which batches are refused (the
 * filters keep them for the next verifier) instead of being accepted into memory that is never written.
 */
public class UsageCounter {

    private static final Logger LOG = Logger.getLogger(UsageCounter.class.getName());

    private final ConcurrentHashMap<String, Usage> pending = new ConcurrentHashMap<>();
    /** Held by a flush for writing, by readers of store-plus-pending counts for reading. */
    private final ReadWriteLock batch = new ReentrantReadWriteLock();
    /** Set by {@link #close}, under the write lock; read under the read lock. */
    private boolean closed;

    /** Counts one use of the token at {@code when}. Never blocks on a flush. */
    public void record(String tokenId, Instant when) {
        pending.merge(tokenId, new Usage(1, when.truncatedTo(ChronoUnit.MILLIS)), Usage::plus);
    }

    /**
     * Adds a batch of uses counted elsewhere (a filter's hand-over).
     *
     * @return {@code true} when taken; {@code false} after {@link #close}, when the caller must keep them
     */
    public boolean recordAll(Map<String, Usage> uses) {
        batch.readLock().lock();
        try {
            if (closed) {
                return false;
            }
            uses.forEach((tokenId, usage) -> pending.merge(tokenId, usage, Usage::plus));
            return true;
        } finally {
            batch.readLock().unlock();
        }
    }

    /** Writes the last batch; from now on {@link #recordAll} refuses. */
    public boolean close(Consumer<Map<String, Usage>> store) {
        this.batch.writeLock().lock();
        try {
            closed = true;
            return write(store);
        } finally {
            this.batch.writeLock().unlock();
        }
    }

    /** Runs {@code read}, which reads stored counts and adds {@link #pending}, while no batch is being written. */
    public <T> T consistently(Supplier<T> read) {
        batch.readLock().lock();
        try {
            return read.get();
        } finally {
            batch.readLock().unlock();
        }
    }

    /** Uses counted but not yet written. */
    public Optional<Usage> pending(String tokenId) {
        return Optional.ofNullable(pending.get(tokenId));
    }

    /**
     * Hands everything counted so far to {@code store} (one batch, one transaction); when it throws, keeps the
     * batch for the next attempt and returns false.
     */
    public boolean flushTo(Consumer<Map<String, Usage>> store) {
        this.batch.writeLock().lock();
        try {
            return write(store);
        } finally {
            this.batch.writeLock().unlock();
        }
    }

    private boolean write(Consumer<Map<String, Usage>> store) {
        Map<String, Usage> batch = new HashMap<>();
        for (String tokenId : pending.keySet()) {
            Usage usage = pending.remove(tokenId);
            if (usage != null) {
                batch.put(tokenId, usage);
            }
        }
        try {
            store.accept(batch);
            return true;
        } catch (RuntimeException e) {
            batch.forEach((tokenId, usage) -> pending.merge(tokenId, usage, Usage::plus));
            LOG.log(Level.WARNING, "Could not write the usage counts of {0} tokens; they are kept and retried: {1}",
                    new Object[] {batch.size(), e.getMessage()});
            return false;
        }
    }
}
