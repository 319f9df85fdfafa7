package io.keygate.server.usage;

import io.keygate.server.store.TokenStore;
import io.keygate.server.store.Usage;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Counts every authenticated request in memory and writes the counts in batches, so a request costs no
 * database write and no count is ever lost.
 *
 * <p>{@link #flushTo} takes each token's pending count out atomically ({@link ConcurrentHashMap#remove}); a
 * use recorded meanwhile starts a new entry and goes into the next batch. When the write fails, the batch is
 * merged back and written with the next one. The admin API adds the pending counts to what the store says,
 * so a listing is exact at once.
 */
public class UsageCounter {

    private static final Logger LOG = Logger.getLogger(UsageCounter.class.getName());

    private final ConcurrentHashMap<String, Usage> pending = new ConcurrentHashMap<>();

    /** Counts one use of the token at {@code when}. */
    public void record(String tokenId, Instant when) {
        pending.merge(tokenId, new Usage(1, when), Usage::plus);
    }

    /** Uses counted but not yet written. */
    public Optional<Usage> pending(String tokenId) {
        return Optional.ofNullable(pending.get(tokenId));
    }

    /** Writes everything counted so far; on failure keeps it for the next attempt and returns false. */
    public boolean flushTo(TokenStore store) {
        Map<String, Usage> batch = new HashMap<>();
        for (String tokenId : pending.keySet()) {
            Usage usage = pending.remove(tokenId);
            if (usage != null) {
                batch.put(tokenId, usage);
            }
        }
        try {
            store.addUsage(batch);
            return true;
        } catch (RuntimeException e) {
            batch.forEach((tokenId, usage) -> pending.merge(tokenId, usage, Usage::plus));
            LOG.log(Level.WARNING, "Could not write the usage counts of {0} tokens; they are kept and retried: {1}",
                    new Object[] {batch.size(), e.getMessage()});
            return false;
        }
    }
}
