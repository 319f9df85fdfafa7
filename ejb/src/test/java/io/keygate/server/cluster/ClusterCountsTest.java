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

    /**
     * A database engine: each server polls every 100 ms (at its own moment), and the channel promises delivery
     * within 300 ms; 40 requests alternate between the servers, one every {@code gapMillis}, as a load balancer
     * spreads a client's burst.
     */
    private int burstOnADatabaseEngine(int gapMillis) {
        tick();
        link.deliveryMillis(300);
        link.hold();
        int admitted = 0;
        int request = 0;
        for (int ms = 0; ms < 1000; ms++) {
            if (ms % 25 == 0) {
                countsA.tick();
            }
            if (ms % 25 == 12) {
                countsB.tick();
            }
            if (ms % 100 == 40) {
                link.deliverTo(first);
            }
            if (ms % 100 == 90) {
                link.deliverTo(second);
            }
            if (ms % gapMillis == 0 && request < 40) {
                admitted += (request % 2 == 0 ? serverA : serverB).acquire("tok_a", 20, 60).allowed() ? 1 : 0;
                request++;
            }
            millis.incrementAndGet();
        }
        return admitted;
    }

    @Test
    void aBurstSpreadOverTwoServersIsAdmittedInFullThoughTheEngineMayBeLate() {
        for (int gap : new int[] {1, 2, 3, 5, 8}) {
            int admitted = new ClusterCountsTest().burstOnADatabaseEngine(gap);
            assertTrue(admitted >= 19 && admitted <= 21, admitted + " of 40 admitted, one request every " + gap
                    + " ms, with a limit of 20");
        }
    }

    @Test
    void newsWithinTheDeliveryBoundNeverLetsTwoServersOvershootByMoreThanOne() {
        tick();
        link.deliveryMillis(100);
        link.hold();
        int admitted = 0;
        for (int i = 0; i < 20; i++) {
            admitted += serverA.acquire("tok_a", 20, 60).allowed() ? 1 : 0;
        }
        tick(); // server A sends its 10
        millis.addAndGet(99);
        for (int i = 0; i < 20; i++) {
            admitted += serverB.acquire("tok_a", 20, 60).allowed() ? 1 : 0; // not told yet: its share, 10
        }
        millis.addAndGet(1);
        link.deliverTo(second); // A's 10 reach B at the bound
        tick(); // B sends its 10, on their way to A for up to 100 ms more
        for (int round = 0; round < 8; round++) {
            for (int i = 0; i < 5; i++) {
                admitted += serverA.acquire("tok_a", 20, 60).allowed() ? 1 : 0;
                admitted += serverB.acquire("tok_a", 20, 60).allowed() ? 1 : 0;
            }
            millis.addAndGet(25);
            tick();
            if (round % 4 == 3) {
                link.deliver();
            }
        }
        assertTrue(admitted >= 20 && admitted <= 21, admitted + " admitted: at most one more than the limit");
    }

    @Test
    void aConfirmationThatIsLateNeverLetsTheLimitOvershoot() {
        tick();
        link.deliveryMillis(300);
        link.hold(second, first); // B's counts and confirmations reach A only 250 ms later
        int admitted = 0;
        int admittedByA = 0;
        for (int round = 0; round < 10; round++) {
            for (int i = 0; i < 3; i++) {
                boolean a = serverA.acquire("tok_a", 20, 60).allowed();
                admittedByA += a ? 1 : 0;
                admitted += (a ? 1 : 0) + (serverB.acquire("tok_a", 20, 60).allowed() ? 1 : 0);
            }
            millis.addAndGet(25);
            tick();
        }
        assertTrue(admittedByA <= 10, admittedByA + " admitted by A: no more than its share while unconfirmed");
        assertTrue(admitted <= 21, admitted + " admitted while A waits for B");
        link.deliver();
        for (int round = 0; round < 10; round++) {
            for (int i = 0; i < 3; i++) {
                admitted += serverA.acquire("tok_a", 20, 60).allowed() ? 1 : 0;
                admitted += serverB.acquire("tok_a", 20, 60).allowed() ? 1 : 0;
            }
            millis.addAndGet(25);
            tick();
            link.deliver();
        }
        assertTrue(admitted >= 20 && admitted <= 21, admitted + " admitted: at most one more than the limit");
    }

    @Test
    void aServerThatStoppedHoldsTheOthersToTheirShareOnlyUntilItIsGone() {
        ClusterChannel third = link.join(); // stopped: still counted among the live servers, confirms nothing
        link.hold(first, third);
        link.deliveryMillis(100);
        tick();
        int admitted = 0;
        for (int round = 0; round < 10; round++) {
            for (int i = 0; i < 10; i++) {
                admitted += serverA.acquire("tok_a", 30, 60).allowed() ? 1 : 0;
            }
            millis.addAndGet(25);
            tick();
        }
        assertEquals(10, admitted, "a third of 30 while the third server may not have heard of them");
        third.close(); // the channel no longer counts it
        for (int round = 0; round < 10; round++) {
            for (int i = 0; i < 10; i++) {
                admitted += serverA.acquire("tok_a", 30, 60).allowed() ? 1 : 0;
            }
            millis.addAndGet(25);
            tick();
        }
        assertEquals(30, admitted, "then the whole quota, as fast as the server left confirms");
        assertFalse(serverB.acquire("tok_a", 30, 60).allowed(), "and that server knows it is spent");
    }

    @Test
    void confirmationsThatNeverComeDelayABurstOnlyUntilTheDeliveryBound() {
        tick();
        link.deliveryMillis(100);
        link.hold(second, first); // every confirmation of B's is lost (or B is older than confirmations)
        int admitted = 0;
        int rounds = 0;
        int beforeTheBound = 0;
        while (rounds++ < 100) {
            for (int i = 0; i < 10; i++) {
                admitted += serverA.acquire("tok_a", 20, 60).allowed() ? 1 : 0;
            }
            millis.addAndGet(25);
            tick();
            if (rounds == 13) {
                beforeTheBound = admitted;
            }
        }
        assertEquals(10, beforeTheBound, "its share while its counts may be unknown (the bound: 350 ms)");
        assertEquals(20, admitted, "then, a share a bound later, the whole quota, never more");
        assertFalse(serverB.acquire("tok_a", 20, 60).allowed(), "and the other server knows it is spent");
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
