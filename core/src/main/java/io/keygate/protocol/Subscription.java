package io.keygate.protocol;

import static io.keygate.protocol.VerifierProtocol.GENERATION;
import static io.keygate.protocol.VerifierProtocol.LOG;

import java.util.Map;
import java.util.Optional;

/**
 * The answer to {@link VerifierProtocol#SUBSCRIBE} over HTTP, which cannot hand over the shared
 * {@link java.util.concurrent.atomic.AtomicLong} that a call in process returns: the generation's value and the
 * identity of the change log that numbers it, so that a filter polling it sees when {@code keygate.war} started
 * again with a numbering of its own.
 *
 * @param generation the current generation, never negative
 * @param log        names the verifier's change log among all that {@code keygate.war} ever started
 */
public record Subscription(long generation, String log) {

    public Subscription {
        if (generation < 0) {
            throw new IllegalArgumentException("a subscription's generation is never negative");
        }
        WireValues.required(log, "a change log's identity");
    }

    public Map<String, Object> toWire() {
        return Map.of(GENERATION, generation, LOG, log);
    }

    /** Reads an answer; empty when it does not follow the protocol. */
    public static Optional<Subscription> fromWire(Object answer) {
        if (answer instanceof Map<?, ?> map && map.get(GENERATION) instanceof Long generation && generation >= 0
                && map.get(LOG) instanceof String log) {
            return Optional.of(new Subscription(generation, log));
        }
        return Optional.empty();
    }
}
