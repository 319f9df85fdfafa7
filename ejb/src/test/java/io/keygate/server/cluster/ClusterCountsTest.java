package io.keygate.server.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.keygate.config.ConfigLookup;
import io.keygate.limits.CountBoard;
import io.keygate.limits.CurrentBoard;
import io.keygate.limits.FailureThrottle;
import io.keygate.limits.TokenRateLimiter;
import jakarta.servlet.ServletException;
import java.time.Duration;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** Two servers, each with its board and its exchange, linked in memory: what a token's owner notices. */
class ClusterCountsTest {

    /** Epoch milliseconds, at the start of a minute. */
    private final AtomicLong millis = new AtomicLong(1_767_225_600_000L);
    private final LinkedChannels link = new LinkedChannels();
    private final ClusterChannel first = link.join();
    private final ClusterChannel second = link.join();
    private final CountBoard boardA = new CountBoard();
    private final CountBoard boardB = new CountBoard();
    private final ClusterCounts countsA = new ClusterCounts(boardA, first, millis::get);
    private final ClusterCounts countsB = new ClusterCounts(boardB, second, millis::get);
    private final TokenRateLimiter serverA = new TokenRateLimiter(new CurrentBoard(boardA), millis::get);
    private final TokenRateLimiter serverB = new TokenRateLimiter(new CurrentBoard(boardB), millis::get);

    ClusterCountsTest() {
        first.receive(ClusterCounts.KIND, countsA::accept);
        second.receive(ClusterCounts.KIND, countsB::accept);
    }

    private void tick() {
        countsA.tick();
        countsB.tick();
    }

    @Test
    void fortyRequestsAlternatingBetweenTwoServersWithLimitTwentyAdmitTwenty() {
        tick(); // both know there are two servers
        int admitted = 0;
        for (int i = 0; i < 40; i++) {
            admitted += (i % 2 == 0 ? serverA : serverB).acquire("tok_a", 20, 60).allowed() ? 1 : 0;
            if (i % 3 == 2) {
                tick();
            }
        }
        assertEquals(20, admitted);
    }

    @Test
    void withoutTheExchangeEachServerCountsAloneAndAdmitsThemAll() {
        TokenRateLimiter aloneA = new TokenRateLimiter(new CurrentBoard(), millis::get);
        TokenRateLimiter aloneB = new TokenRateLimiter(new CurrentBoard(), millis::get);
        int admitted = 0;
        for (int i = 0; i < 40; i++) {
            admitted += (i % 2 == 0 ? aloneA : aloneB).acquire("tok_a", 20, 60).allowed() ? 1 : 0;
        }
        assertEquals(40, admitted, "what the exchange is for");
    }

    @Test
    void whileTheCountsJobRunsFortyRequestsOnTwoServersAdmitTwentyToTwentyOne() throws Exception {
        ScheduledExecutorService scheduler = Executors.newScheduledThreadPool(2);
        try {
            countsA.start(scheduler, 1);
            countsB.start(scheduler, 1);
            Thread.sleep(20);
            int admitted = 0;
            for (int i = 0; i < 40; i++) {
                admitted += (i % 2 == 0 ? serverA : serverB).acquire("tok_a", 20, 60).allowed() ? 1 : 0;
                Thread.sleep(1);
            }
            assertTrue(admitted >= 20 && admitted <= 21, admitted + " admitted");
        } finally {
            countsA.stop();
            countsB.stop();
            scheduler.shutdownNow();
        }
    }

    @Test
    void aBurstOnOneServerIsNotOverAdmittedEvenWhenTheNewsIsLate() {
        tick();
        link.hold(); // a database engine, polled every 100 ms
        int admitted = 0;
        for (int round = 0; round < 5; round++) {
            for (int i = 0; i < 20; i++) {
                admitted += serverA.acquire("tok_a", 20, 60).allowed() ? 1 : 0;
                admitted += serverB.acquire("tok_a", 20, 60).allowed() ? 1 : 0;
            }
            tick();
            link.deliver();
        }
        assertTrue(admitted >= 20 && admitted <= 21, admitted + " admitted: at most one more than the limit");
    }

    @Test
    void newsThatArrivesSeveralExchangesLateDoesNotLetTheLimitOvershoot() {
        tick();
        link.deliveryMillis(100); // a database engine: a count sent now arrives up to four exchanges later
        link.hold();
        int admitted = 0;
        for (int round = 0; round < 40; round++) {
            for (int i = 0; i < 3; i++) {
                admitted += serverA.acquire("tok_a", 20, 60).allowed() ? 1 : 0;
                admitted += serverB.acquire("tok_a", 20, 60).allowed() ? 1 : 0;
            }
            tick();
            millis.addAndGet(25);
            if (round % 4 == 3) {
                link.deliver();
            }
        }
        assertTrue(admitted >= 20 && admitted <= 21, admitted + " admitted: at most one more than the limit");
    }

    @Test
    void aBurstOnOneServerReachesTheLimitAsTheExchangeRuns() {
        tick();
        int admitted = 0;
        for (int round = 0; round < 30; round++) {
            for (int i = 0; i < 10; i++) {
                admitted += serverA.acquire("tok_a", 20, 60).allowed() ? 1 : 0;
            }
            tick();
        }
        assertEquals(20, admitted, "the whole quota, never more");
        assertFalse(serverB.acquire("tok_a", 20, 60).allowed(), "and the other server knows it is spent");
    }

    @Test
    void failuresAtOneServerThrottleTheClientAtTheOther() {
        FailureThrottle throttleA = new FailureThrottle(3, Duration.ofSeconds(60), "", new CurrentBoard(boardA),
                millis::get);
        FailureThrottle throttleB = new FailureThrottle(3, Duration.ofSeconds(60), "", new CurrentBoard(boardB),
                millis::get);
        throttleA.failed("203.0.113.7");
        throttleA.failed("203.0.113.7");
        throttleB.failed("203.0.113.7");
        assertFalse(throttleB.retryAfter("203.0.113.7").isPresent(), "not yet told");
        tick();

        assertFalse(throttleB.idle());
        assertEquals(60, throttleB.retryAfter("203.0.113.7").getAsLong());
        assertTrue(throttleA.retryAfter("203.0.113.7").isPresent());
    }

    @Test
    void endedWindowsAreForgottenAndCountsOfAnEndedWindowIgnored() {
        serverA.acquire("tok_a", 20, 60);
        millis.addAndGet(60_000);
        tick();
        assertTrue(boardA.rates().isEmpty());
        assertTrue(boardB.rates().isEmpty(), "nothing of an ended window is sent");
    }

    @Test
    void aServerAloneSendsNothingAndCountsAsToday() {
        CountBoard alone = new CountBoard();
        ClusterCounts counts = new ClusterCounts(alone, new SoloChannel(), millis::get);
        TokenRateLimiter limiter = new TokenRateLimiter(new CurrentBoard(alone), millis::get);
        int admitted = 0;
        for (int i = 0; i < 30; i++) {
            admitted += limiter.acquire("tok_a", 20, 60).allowed() ? 1 : 0;
            counts.tick();
        }
        assertEquals(20, admitted);
        assertEquals(1, alone.servers());
    }

    @Test
    void manyKeysTravelInSmallMessagesAndKeysWithAnyCharacterArrive() {
        tick();
        for (int i = 0; i < 500; i++) {
            serverA.acquire("tok_" + i, 20, 60);
        }
        new FailureThrottle(3, Duration.ofSeconds(60), "client-id ", new CurrentBoard(boardA), millis::get)
                .failed("odd\tid\n%");
        tick();
        assertTrue(link.sent().size() > 1);
        assertTrue(link.sent().stream().allMatch(m -> m.body().length() <= 4000 && m.kind().equals("counts")));
        assertEquals(500, boardB.rates().size());
        assertTrue(boardB.failures().containsKey("client-id odd\tid\n%@60"));
    }

    @Test
    void thePeriodIsReadOnceAndABadOneRefused() throws Exception {
        assertEquals(25, ClusterCounts.periodMillis(config(null)));
        assertEquals(100, ClusterCounts.periodMillis(config("100")));
        assertThrows(ServletException.class, () -> ClusterCounts.periodMillis(config("0")));
        assertThrows(ServletException.class, () -> ClusterCounts.periodMillis(config("soon")));
    }

    private static ConfigLookup config(String period) {
        Map<String, String> values = period == null ? Map.of() : Map.of(ClusterCounts.PERIOD_MILLIS, period);
        return new ConfigLookup(null, values::get, Map.of(), new Properties());
    }
}
