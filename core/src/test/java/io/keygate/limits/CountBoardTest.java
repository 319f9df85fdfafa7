package io.keygate.limits;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;
import org.junit.jupiter.api.Test;

/** Several WARs (and servers) counting on one board: what a token's owner and an attacker notice. */
class CountBoardTest {

    private final AtomicLong millis = new AtomicLong(1_767_225_600_000L);
    private final CountBoard board = new CountBoard();

    /** A WAR's limiter on the board as the verifier hands it over: the WAR's own copy wrapping the same objects. */
    private TokenRateLimiter war() {
        CurrentBoard current = new CurrentBoard();
        current.use(CountBoard.fromWire(board.toWire()));
        return new TokenRateLimiter(current, millis::get);
    }

    private static int admitted(TokenRateLimiter limiter, int requests, long limit) {
        int admitted = 0;
        for (int i = 0; i < requests; i++) {
            admitted += limiter.acquire("tok_a", limit, 60).allowed() ? 1 : 0;
        }
        return admitted;
    }

    @Test
    void twoWarsOnOneBoardShareOneQuota() {
        TokenRateLimiter first = war();
        TokenRateLimiter second = war();
        int admitted = 0;
        for (int i = 0; i < 20; i++) {
            admitted += (i % 2 == 0 ? first : second).acquire("tok_a", 10, 60).allowed() ? 1 : 0;
        }
        assertEquals(10, admitted);
        TokenRateLimiter.Decision refused = second.acquire("tok_a", 10, 60);
        assertFalse(refused.allowed());
        assertEquals(0, refused.remaining());
        assertEquals(60, refused.resetSeconds());
    }

    @Test
    void aRefusedRequestDoesNotSpendTheQuota() {
        TokenRateLimiter limiter = war();
        assertEquals(3, admitted(limiter, 10, 3));
        assertEquals(3, board.rates().get("tok_a").get(SharedWindow.LOCAL), "only admitted requests count");
    }

    @Test
    void theQuotaRollsOverAtTheEpochAlignedWindowsEnd() {
        TokenRateLimiter limiter = war();
        millis.addAndGet(Duration.ofSeconds(45).toMillis());
        assertEquals(5, admitted(limiter, 8, 5));
        assertEquals(15, limiter.acquire("tok_a", 5, 60).resetSeconds(), "reset: seconds to the window's end");

        millis.addAndGet(Duration.ofSeconds(15).toMillis());
        assertEquals(5, admitted(limiter, 8, 5), "a new window, a new quota");
    }

    @Test
    void withTwoServersEachSpendsOnlyItsShareOfWhatTheOthersDoNotKnowAbout() {
        board.servers(2);
        TokenRateLimiter limiter = war();
        assertEquals(10, admitted(limiter, 40, 20), "half of 20 until the other server hears of them");

        AtomicLongArray window = board.rates().get("tok_a");
        assertEquals(10, SharedWindow.takeUnsent(window), "the exchange sends them");
        window.addAndGet(SharedWindow.OTHERS, 4); // and hears of the other server's 4
        SharedWindow.acknowledge(window); // and confirms holding them
        assertEquals(0, admitted(limiter, 40, 20), "sent is not received: still nothing beyond the share");
        SharedWindow.known(window, 10); // the other server confirms holding the 10
        assertEquals(3, admitted(limiter, 40, 20), "then half of the 6 left, rounded up");
        SharedWindow.takeUnsent(window);
        SharedWindow.known(window, 13);
        window.addAndGet(SharedWindow.OTHERS, 3);
        assertEquals(0, admitted(limiter, 40, 20), "20 in all: none left");
    }

    @Test
    void countsHeardOfButNotConfirmedCountTowardsTheLimitButNotAgainstTheShare() {
        board.servers(2);
        TokenRateLimiter limiter = war();
        assertEquals(4, admitted(limiter, 4, 20));
        long index = SharedWindow.index(millis.get(), 60_000);
        // the other server's 6, not confirmed: it cannot count on them
        SharedWindow.receive(board.rates(), "tok_a", 60_000, index, 6, millis.get(), CountBoard.MAX_KEYS);
        assertEquals(6, admitted(limiter, 40, 20), "its share of 20 as long as neither counts them as known");

        CountBoard other = new CountBoard();
        other.servers(2);
        TokenRateLimiter confirming = new TokenRateLimiter(new CurrentBoard(other), millis::get);
        assertEquals(4, admitted(confirming, 4, 20));
        SharedWindow.receive(other.rates(), "tok_a", 60_000, index, 6, millis.get(), CountBoard.MAX_KEYS);
        SharedWindow.acknowledge(other.rates().get("tok_a")); // confirmed: its sender may count on them
        assertEquals(3, admitted(confirming, 40, 20), "its share of the 14 left");
        SharedWindow.receive(other.rates(), "tok_a", 60_000, index, 7, millis.get(), CountBoard.MAX_KEYS);
        assertEquals(0, admitted(confirming, 40, 20), "and any count heard of counts towards the limit");
    }

    @Test
    void countsAddedByAKeygateWarThatDoesNotConfirmAllCountAgainstTheShare() {
        board.servers(2);
        TokenRateLimiter limiter = war();
        assertEquals(4, admitted(limiter, 4, 20));
        board.rates().get("tok_a").addAndGet(SharedWindow.OTHERS, 6); // as an older keygate.war adds them
        assertEquals(3, admitted(limiter, 40, 20), "it counts this server's as known unconfirmed: half of 14 left");
    }

    @Test
    void aWindowOpenedByAnOlderCopyWithoutTheAckedSlotStillCounts() {
        board.servers(2);
        AtomicLongArray old = new AtomicLongArray(SharedWindow.ACKED);
        old.set(SharedWindow.INDEX, SharedWindow.index(millis.get(), 60_000));
        old.set(SharedWindow.MILLIS, 60_000);
        board.rates().put("tok_a", old);
        SharedWindow.receive(board.rates(), "tok_a", 60_000, old.get(SharedWindow.INDEX), 6, millis.get(),
                CountBoard.MAX_KEYS);
        SharedWindow.acknowledge(old);
        assertEquals(7, admitted(war(), 40, 20), "the other server's count as if confirmed: half of the 14 left");
    }

    @Test
    void aServerAloneBehavesAsBeforeWhateverWasSent() {
        TokenRateLimiter limiter = war();
        assertEquals(4, admitted(limiter, 2, 10) + admitted(limiter, 2, 10));
        SharedWindow.takeUnsent(board.rates().get("tok_a"));
        assertEquals(6, admitted(limiter, 10, 10));
    }

    @Test
    void aFailureAtOneWarThrottlesTheClientAtAnother() {
        CurrentBoard shared = new CurrentBoard();
        shared.use(CountBoard.fromWire(board.toWire()));
        FailureThrottle first = new FailureThrottle(2, Duration.ofSeconds(60), "", shared, millis::get);
        FailureThrottle second = new FailureThrottle(2, Duration.ofSeconds(60), "", new CurrentBoard(board),
                millis::get);
        assertTrue(second.idle());
        first.failed("203.0.113.7");
        assertFalse(second.idle(), "the other WAR must now look at client addresses");
        second.failed("203.0.113.7");
        assertTrue(first.retryAfter("203.0.113.7").isPresent());
        assertTrue(second.retryAfter("203.0.113.7").isPresent());
    }

    @Test
    void anotherServersFailuresCountTowardsTheThrottle() {
        FailureThrottle throttle = new FailureThrottle(3, Duration.ofSeconds(60), "", new CurrentBoard(board),
                millis::get);
        long index = SharedWindow.index(millis.get(), 60_000);
        SharedWindow.receive(board.failures(), "203.0.113.7@60", 60_000, index, 2, millis.get(), CountBoard.MAX_KEYS);
        assertFalse(throttle.idle());
        assertFalse(throttle.retryAfter("203.0.113.7").isPresent());
        throttle.failed("203.0.113.7");
        assertTrue(throttle.retryAfter("203.0.113.7").isPresent());
    }

    @Test
    void countsOfAnOlderWindowAreIgnoredAndANewerWindowReplacesTheOld() {
        long index = SharedWindow.index(millis.get(), 60_000);
        SharedWindow.receive(board.rates(), "tok_a", 60_000, index - 1, 5, millis.get(), CountBoard.MAX_KEYS);
        assertNull(board.rates().get("tok_a"), "an ended window");
        SharedWindow.receive(board.rates(), "tok_a", 60_000, index, 5, millis.get(), CountBoard.MAX_KEYS);
        SharedWindow.receive(board.rates(), "tok_a", 60_000, index, 2, millis.get(), CountBoard.MAX_KEYS);
        assertEquals(7, board.rates().get("tok_a").get(SharedWindow.OTHERS));
        SharedWindow.receive(board.rates(), "tok_a", 60_000, index + 1, 1, millis.get(), CountBoard.MAX_KEYS);
        assertEquals(index + 1, board.rates().get("tok_a").get(SharedWindow.INDEX));
        assertEquals(1, board.rates().get("tok_a").get(SharedWindow.OTHERS));
    }

    @Test
    void aMapThatIsNotABoardIsRefused() {
        assertNull(CountBoard.fromWire(Map.of(CountBoard.RATES, "x")));
        assertNull(CountBoard.fromWire(null));
        assertTrue(board.sameAs(CountBoard.fromWire(board.toWire())));
    }
}
