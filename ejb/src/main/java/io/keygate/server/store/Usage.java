package io.keygate.server.store;

import java.time.Instant;

/** Uses of one token counted since the last write: how many, and the latest. */
public record Usage(long count, Instant lastUsed) {

    /** Both together, as when counts that failed to be written are merged back. */
    public Usage plus(Usage other) {
        return new Usage(count + other.count, lastUsed.isAfter(other.lastUsed) ? lastUsed : other.lastUsed);
    }
}
