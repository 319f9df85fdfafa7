package io.keygate.server.usage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.keygate.server.store.Usage;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

class UsageCounterTest {

    private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");

    private final UsageCounter counter = new UsageCounter();
    private final Map<String, Long> written = new ConcurrentHashMap<>();
    private final Consumer<Map<String, Usage>> store =
            batch -> batch.forEach((id, usage) -> written.merge(id, usage.count(), Long::sum));

    @Test
    void flushWritesCountsAndLatestUseThenStartsAfresh() {
        counter.record("a", T0);
        counter.record("a", T0.plusSeconds(5));
        counter.record("b", T0);

        assertEquals(new Usage(2, T0.plusSeconds(5)), counter.pending("a").orElseThrow());
        assertTrue(counter.flushTo(store));

        assertEquals(Map.of("a", 2L, "b", 1L), written);
        assertTrue(counter.pending("a").isEmpty());
    }

    @Test
    void failedWriteKeepsTheBatchForTheNextFlush() {
        counter.record("a", T0);
        assertFalse(counter.flushTo(batch -> {
            throw new IllegalStateException("database down");
        }));
        counter.record("a", T0.plusSeconds(1));

        assertEquals(2, counter.pending("a").orElseThrow().count());
        assertTrue(counter.flushTo(store));
        assertEquals(Map.of("a", 2L), written);
    }

    @Test
    void noUseIsLostWhileFlushesRunConcurrentlyAndSomeFail() throws Exception {
        int threads = 4;
        int usesPerThread = 50_000;
        AtomicInteger attempts = new AtomicInteger();
        Consumer<Map<String, Usage>> flaky = batch -> {
            if (attempts.incrementAndGet() % 3 == 0) {
                throw new IllegalStateException("every third write fails");
            }
            store.accept(batch);
        };
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        CountDownLatch done = new CountDownLatch(threads);
        for (int t = 0; t < threads; t++) {
            String id = "token-" + (t % 2);
            pool.execute(() -> {
                for (int i = 0; i < usesPerThread; i++) {
                    counter.record(id, T0);
                }
                done.countDown();
            });
        }
        while (!done.await(1, TimeUnit.MILLISECONDS)) {
            counter.flushTo(flaky);
        }
        pool.shutdown();
        while (!counter.flushTo(flaky)) {
            // retry until a write succeeds
        }
        assertEquals((long) threads * usesPerThread, written.values().stream().mapToLong(Long::longValue).sum());
        assertEquals(Map.of("token-0", 100_000L, "token-1", 100_000L), written);
    }
}
