package io.keygate.filter;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.keygate.filter.handover.PeriodicHandOver;
import io.keygate.filter.handover.UsageHandOver;
import io.keygate.protocol.UsageReport;
import jakarta.ejb.EJBException;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Supplier;
import java.util.logging.Level;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class UsageHandOverTest {

    private final FakeClock clock = new FakeClock();
    private final FakeVerifier keygate = new FakeVerifier(h -> null).subscribable();
    private final VerifierClient client = new VerifierClient(() -> keygate);
    private final UsageHandOver usage = new UsageHandOver(client, clock);
    private final ExecutorService pool = Executors.newFixedThreadPool(4);
    private final ManualScheduler scheduler = new ManualScheduler();

    @AfterEach
    void stop() {
        pool.shutdownNow();
    }

    @Test
    void handOverSendsCountsAndLatestUsePerToken() {
        usage.start(scheduler.service());
        usage.count("tok-a", clock.getAsLong());
        clock.advanceMillis(10);
        usage.count("tok-a", clock.getAsLong());
        usage.count("tok-b", clock.getAsLong());
        scheduler.tick();

        assertEquals(List.of(new UsageReport(Map.of("tok-a", new UsageReport.Use(2L, clock.getAsLong()),
                "tok-b", new UsageReport.Use(1L, clock.getAsLong())))), keygate.recorded);
        scheduler.tick();
        assertEquals(1, keygate.recorded.size(), "nothing new, nothing sent");
        assertEquals(0, usage.tokens(), "idle tallies are dropped");
    }

    @Test
    void verifierThatStopsFirstTakesWhatIsStillCountedThroughTheSource() {
        usage.start(scheduler.service());
        scheduler.tick();
        assertEquals(1, keygate.sources.size(), "the source is handed over before anything is counted");
        usage.count("tok-a", clock.getAsLong());
        usage.count("tok-a", clock.getAsLong());
        keygate.retire();

        @SuppressWarnings("unchecked")
        Supplier<Map<String, List<Long>>> source = (Supplier<Map<String, List<Long>>>) keygate.sources.get(0);
        assertEquals(Map.of("tok-a", List.of(2L, clock.getAsLong())), source.get());
        assertEquals(0, usage.pending(), "taken, so never counted twice");
        usage.close();
        assertEquals(Map.of(), source.get());
    }

    @Test
    void refusedHandOverIsKeptAndSentWithTheNextOne() {
        usage.start(scheduler.service());
        usage.count("tok-a", clock.getAsLong());
        keygate.failUsage(new EJBException("keygate.war is redeploying"));
        scheduler.tick();
        assertEquals(1, usage.pending());
        usage.count("tok-a", clock.getAsLong());
        keygate.failUsage(null);
        scheduler.tick();

        assertEquals(Map.of("tok-a", 2L), keygate.recordedCounts());
        assertEquals(0, usage.pending());
    }

    @Test
    void withoutSchedulerHandOverRidesOnRequestsOncePerInterval() {
        usage.count("tok-a", clock.getAsLong());
        assertEquals(Map.of("tok-a", 1L), keygate.recordedCounts(), "the first request hands over at once");
        clock.advanceMillis(500);
        usage.count("tok-a", clock.getAsLong());
        assertEquals(1, keygate.recorded.size());
        clock.advanceMillis(500);
        usage.count("tok-a", clock.getAsLong());
        assertEquals(Map.of("tok-a", 3L), keygate.recordedCounts());
    }

    /**
     * Seen on a manual scheduler, so that both halves show: the first count is handed over at once (with the source,
     * which the verifier needs before a stop) but on the scheduler, not on the request; later counts wait for the
     * periodic hand-over, scheduled every second.
     */
    @Test
    void withSchedulerHandOverRunsOnItEverySecondAndNotOnRequests() {
        usage.start(scheduler.service());
        assertEquals(List.of(PeriodicHandOver.INTERVAL_MILLIS), scheduler.delaysMillis);
        assertEquals(1000, PeriodicHandOver.INTERVAL_MILLIS);

        usage.count("tok-a", clock.getAsLong());
        assertTrue(keygate.recorded.isEmpty(), "not on the request thread");
        scheduler.runSoon();
        assertEquals(Map.of("tok-a", 1L), keygate.recordedCounts(), "the first count at once, on the scheduler");

        clock.advanceMillis(2000);
        usage.count("tok-a", clock.getAsLong());
        usage.count("tok-b", clock.getAsLong());
        assertTrue(scheduler.once.isEmpty(), "later counts ask for no hand-over of their own");
        assertEquals(1, keygate.recorded.size(), "not on the request thread, however late");
        scheduler.tick();
        assertEquals(2, keygate.recorded.size(), "the periodic hand-over");
        assertEquals(Map.of("tok-a", 2L, "tok-b", 1L), keygate.recordedCounts());
    }

    @Test
    void closeHandsOverTheLastCountsAndLogsWhatItCannot() {
        usage.start(scheduler.service());
        usage.count("tok-a", clock.getAsLong());
        clock.advanceMillis(10);
        usage.count("tok-a", clock.getAsLong());
        usage.close();
        assertEquals(Map.of("tok-a", 2L), keygate.recordedCounts());
        assertEquals(1, scheduler.cancelled);

        UsageHandOver orphan = new UsageHandOver(client, clock);
        orphan.start(new ManualScheduler().service());
        orphan.count("tok-b", clock.getAsLong());
        orphan.count("tok-b", clock.getAsLong());
        keygate.failUsage(new EJBException("undeployed"));
        try (LogCapture log = new LogCapture()) {
            orphan.close();
            assertTrue(log.text().contains("the last 2 counted uses of 1 tokens"), log.text());
            assertEquals(2, log.count(Level.WARNING), "one for the failed call, one for the loss");
        }
    }

    @Test
    void noUseLostOrCountedTwiceUnderConcurrentCountingAndFailingHandOvers() throws Exception {
        int threads = 4;
        int perThread = 50_000;
        CountDownLatch start = new CountDownLatch(1);
        List<Future<?>> counters = new java.util.ArrayList<>();
        for (int t = 0; t < threads; t++) {
            counters.add(pool.submit(() -> {
                start.await();
                for (int i = 0; i < perThread; i++) {
                    usage.count(i % 3 == 0 ? "tok-a" : "tok-" + (i % 7), clock.getAsLong());
                }
                return null;
            }));
        }
        start.countDown();
        int round = 0;
        while (!counters.stream().allMatch(Future::isDone)) {
            keygate.failUsage(round++ % 3 == 0 ? new EJBException("flaky") : null);
            usage.handOver();
        }
        keygate.failUsage(null);
        usage.handOver();

        long total = keygate.recordedCounts().values().stream().mapToLong(Long::longValue).sum();
        assertEquals((long) threads * perThread, total);
        assertFalse(keygate.recorded.isEmpty());
    }
}
