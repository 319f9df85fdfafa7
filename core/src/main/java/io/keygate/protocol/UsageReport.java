package io.keygate.protocol;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The argument of {@link VerifierProtocol#RECORD_USAGE}: the uses a filter counted per token id since it last
 * handed them over. The filter writes it with {@link #toWire()}; the verifier reads it with {@link #fromWire}, and
 * so does the source of counts a filter hands the verifier in process, whose batch is the same message.
 *
 * @param uses token id to its uses
 */
public record UsageReport(Map<String, Use> uses) {

    /** An empty report: hands over nothing but, in process, the filter's source of counts. */
    public static final UsageReport EMPTY = new UsageReport(Map.of());

    /**
     * @param count          uses counted, at least 1
     * @param lastUsedMillis the latest of them, epoch milliseconds
     */
    public record Use(long count, long lastUsedMillis) {
        public Use {
            if (count < 1 || lastUsedMillis < 0) {
                throw new IllegalArgumentException("a use is counted at least once, at a time after the epoch");
            }
        }
    }

    public UsageReport {
        uses = Map.copyOf(uses);
        if (uses.keySet().stream().anyMatch(String::isBlank)) {
            throw new IllegalArgumentException("a token id is never blank");
        }
    }

    /** {@code tokenId -> [count, lastUsedEpochMillis]}. */
    public Map<String, List<Long>> toWire() {
        Map<String, List<Long>> wire = new HashMap<>();
        uses.forEach((tokenId, use) -> wire.put(tokenId, List.of(use.count(), use.lastUsedMillis())));
        return wire;
    }

    /** Reads a report; empty when anything in it is outside the protocol. */
    public static Optional<UsageReport> fromWire(Object argument) {
        if (!(argument instanceof Map<?, ?> map)) {
            return Optional.empty();
        }
        Map<String, Use> uses = new HashMap<>();
        for (Map.Entry<?, ?> entry : map.entrySet()) {
            if (!(entry.getKey() instanceof String tokenId) || tokenId.isBlank()
                    || !(entry.getValue() instanceof List<?> use) || use.size() != 2
                    || !(use.get(0) instanceof Long count) || count < 1
                    || !(use.get(1) instanceof Long lastUsed) || lastUsed < 0) {
                return Optional.empty();
            }
            uses.put(tokenId, new Use(count, lastUsed));
        }
        return Optional.of(new UsageReport(uses));
    }
}
