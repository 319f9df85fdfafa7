package io.keygate.server.verify;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.keygate.protocol.ChangeSet;
import io.keygate.protocol.VerifierProtocol;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class ChangeLogTest {

    private final ChangeLog log = new ChangeLog(3);

    @Test
    void eachChangeMovesTheGenerationAndIsListedSinceAnEarlierOne() {
        assertEquals(0, log.generation().get());
        log.tokenChanged("hash-1");
        log.tenantChanged("acme");

        assertEquals(2, log.generation().get());
        assertEquals(new ChangeSet(2, List.of("hash-1"), List.of("acme"), List.of(), true), log.since(0));
        assertEquals(new ChangeSet(2, List.of(), List.of("acme"), List.of(), true), log.since(1));
        assertEquals(new ChangeSet(2, List.of(), List.of(), List.of(), true), log.since(2));
    }

    @Test
    void sinceBeyondWhatTheLogKeepsThenIncomplete() {
        for (int i = 1; i <= 5; i++) {
            log.tokenChanged("hash-" + i);
        }
        assertEquals(new ChangeSet(5, List.of("hash-3", "hash-4", "hash-5"), List.of(), List.of(), true),
                log.since(2));
        assertFalse(log.since(1).complete(), "change 2 is no longer kept");
        assertFalse(log.since(6).complete(), "a generation this log never had");
        assertFalse(log.since(-1).complete());
    }

    @Test
    void retireSetsTheGenerationNegativeForGood() {
        log.tokenChanged("hash-1");
        log.retire();
        log.tokenChanged("hash-2");

        assertEquals(VerifierProtocol.RETIRED_GENERATION, log.generation().get());
        assertTrue(log.isRetired());
        assertFalse(log.since(1).complete());
    }

    @Test
    void aSecretAndAllItsAccessTokensAreOneEntryNamingTheSecret() {
        log.secretChanged("secret-hash", "tok-secret");
        log.tenantChanged("acme");
        assertEquals(2, log.generation().get(), "one generation for the secret, however many access tokens it has");
        assertEquals(new ChangeSet(2, List.of("secret-hash"), List.of("acme"), List.of("tok-secret"), true),
                log.since(0));
        assertEquals(new ChangeSet(2, List.of(), List.of("acme"), List.of(), true), log.since(1));
    }

    @Test
    void generationIsOneObjectForEveryCaller() {
        assertSame(log.generation(), log.generation());
    }

    @Test
    void whoeverSeesANewGenerationFindsItsChange() throws Exception {
        ChangeLog big = new ChangeLog(ChangeLog.CAPACITY);
        ExecutorService pool = Executors.newFixedThreadPool(2);
        // The writer starts once the reader is reading and writes in bursts of 8; after each burst it waits
        // (briefly, bounded) until the reader has checked again. So the checks overlap the writes on every run,
        // however a loaded machine schedules the two threads; never beyond what the log keeps, so every answer must
        // be complete.
        CountDownLatch reading = new CountDownLatch(1);
        AtomicInteger checked = new AtomicInteger();
        try {
            Future<?> writer = pool.submit(() -> {
                reading.await(10, TimeUnit.SECONDS);
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
                for (int i = 0; i < ChangeLog.CAPACITY - 1; i++) {
                    big.tokenChanged("hash-" + i);
                    if (i % 8 == 7) {
                        int before = checked.get();
                        while (checked.get() == before && System.nanoTime() < deadline) {
                            Thread.onSpinWait();
                        }
                    }
                }
                return null;
            });
            Future<Integer> reader = pool.submit(() -> {
                int missing = 0;
                reading.countDown();
                while (!writer.isDone()) {
                    long seen = big.generation().get();
                    if (seen > 0) {
                        checked.incrementAndGet();
                        ChangeSet changes = big.since(seen - 1);
                        if (!changes.complete() || !changes.tokens().contains("hash-" + (seen - 1))) {
                            missing++;
                        }
                    }
                }
                return missing;
            });
            writer.get(10, TimeUnit.SECONDS);
            int missing = reader.get(10, TimeUnit.SECONDS);
            assertTrue(checked.get() > 0, "the reader checked while the writer wrote");
            assertEquals(0, missing, "generations seen without their change, of " + checked.get() + " checked");
        } finally {
            pool.shutdownNow();
        }
    }
}
