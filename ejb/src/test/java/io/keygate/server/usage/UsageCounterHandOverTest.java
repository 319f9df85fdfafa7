package io.keygate.server.usage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.keygate.server.store.Usage;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** Batches handed over by the filters ({@link UsageCounter#recordAll}) and the last write ({@link UsageCounter#close}). */
class UsageCounterHandOverTest {

    private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");

    private final UsageCounter counter = new UsageCounter();
    private final Map<String, Long> written = new ConcurrentHashMap<>();

    private void write(Map<String, Usage> batch) {
        batch.forEach((id, usage) -> written.merge(id, usage.count(), Long::sum));
    }

    @Test
    void recordAllMergesWithLocalCountsAndKeepsTheLatestUse() {
        counter.record("a", T0.plusSeconds(9));
        assertTrue(counter.recordAll(Map.of("a", new Usage(5, T0), "b", new Usage(2, T0.plusSeconds(1)))));

        assertEquals(new Usage(6, T0.plusSeconds(9)), counter.pending("a").orElseThrow());
        assertEquals(new Usage(2, T0.plusSeconds(1)), counter.pending("b").orElseThrow());
    }

    @Test
    void closeWritesTheLastBatchThenRefusesMore() {
        counter.recordAll(Map.of("a", new Usage(5, T0)));
        assertTrue(counter.close(this::write));
        assertFalse(counter.recordAll(Map.of("a", new Usage(1, T0))));
        assertEquals(Map.of("a", 5L), written);
        assertTrue(counter.pending("a").isEmpty(), "nothing accepted into memory that is never written");
    }

    @Test
    void everyAcceptedBatchIsWrittenEvenWhenCloseRacesWithHandOvers() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(3);
        AtomicLong accepted = new AtomicLong();
        try {
            Future<?> filters = pool.submit(() -> {
                for (int i = 0; i < 200_000; i++) {
                    if (counter.recordAll(Map.of("a", new Usage(1, T0)))) {
                        accepted.incrementAndGet();
                    }
                }
            });
            Future<?> flusher = pool.submit(() -> {
                for (int i = 0; i < 50; i++) {
                    counter.flushTo(this::write);
                }
            });
            flusher.get(30, TimeUnit.SECONDS);
            counter.close(this::write);
            filters.get(30, TimeUnit.SECONDS);
        } finally {
            pool.shutdownNow();
        }
        assertEquals(accepted.get(), written.getOrDefault("a", 0L));
    }
}
