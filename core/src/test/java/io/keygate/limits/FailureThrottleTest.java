package io.keygate.limits;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.OptionalLong;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class FailureThrottleTest {

    /** Epoch milliseconds at the start of a minute (and of a 10-second window). */
    private final AtomicLong millis = new AtomicLong(1_767_225_600_000L);
    private final FailureThrottle throttle = new FailureThrottle(3, Duration.ofSeconds(60), "", new CurrentBoard(),
            millis::get);

    @Test
    void throttleWhenFailuresReachTheLimitThenRetryAfterTheRestOfTheWindow() {
        throttle.failed("203.0.113.7");
        throttle.failed("203.0.113.7");
        assertFalse(throttle.retryAfter("203.0.113.7").isPresent(), "two failures are allowed");

        throttle.failed("203.0.113.7");
        millis.addAndGet(Duration.ofSeconds(20).toMillis());

        assertEquals(OptionalLong.of(40), throttle.retryAfter("203.0.113.7"));
        assertFalse(throttle.retryAfter("198.51.100.1").isPresent(), "other clients are not affected");
    }

    @Test
    void throttleLiftsWhenTheWindowEnds() {
        for (int i = 0; i < 3; i++) {
            throttle.failed("203.0.113.7");
        }
        millis.addAndGet(Duration.ofSeconds(60).toMillis());

        assertFalse(throttle.retryAfter("203.0.113.7").isPresent());
        throttle.failed("203.0.113.7");
        assertFalse(throttle.retryAfter("203.0.113.7").isPresent(), "a new window starts from zero");
    }

    @Test
    void windowsAreAlignedToTheEpochSoAFailureLateInAWindowLastsOnlyItsRest() {
        millis.addAndGet(Duration.ofSeconds(50).toMillis());
        for (int i = 0; i < 3; i++) {
            throttle.failed("203.0.113.7");
        }
        assertEquals(OptionalLong.of(10), throttle.retryAfter("203.0.113.7"));
    }

    @Test
    void throttleIsIdleUntilAFailureAndAgainOnceItsWindowEndedAndWasLookedAt() {
        assertTrue(throttle.idle(), "nothing to check before any failure");
        throttle.failed("203.0.113.7");
        assertFalse(throttle.idle());

        millis.addAndGet(Duration.ofSeconds(60).toMillis());
        assertFalse(throttle.retryAfter("203.0.113.7").isPresent());
        assertTrue(throttle.idle(), "the ended window is gone");
    }

    @Test
    void zeroMaxFailuresSwitchesTheThrottleOff() {
        FailureThrottle off = new FailureThrottle(0, Duration.ofSeconds(60), "", new CurrentBoard(), millis::get);
        for (int i = 0; i < 100; i++) {
            off.failed("203.0.113.7");
        }
        assertFalse(off.retryAfter("203.0.113.7").isPresent());
        assertTrue(off.idle());
    }

    @Test
    void theBoardStaysBoundedUnderAFloodOfClientsAndAnUntrackedOneIsNotThrottled() {
        CountBoard board = new CountBoard();
        FailureThrottle one = new FailureThrottle(1, Duration.ofSeconds(60), "", new CurrentBoard(board), millis::get);
        for (int i = 0; i < CountBoard.MAX_KEYS; i++) {
            one.failed("client-" + i);
        }
        one.failed("one-too-many");
        assertFalse(one.retryAfter("one-too-many").isPresent(), "no slot while every window is live");
        assertEquals(CountBoard.MAX_KEYS, board.failures().size());

        millis.addAndGet(Duration.ofSeconds(61).toMillis());
        one.failed("after-expiry");
        assertTrue(one.retryAfter("after-expiry").isPresent(), "ended windows are swept to make room");
        assertTrue(board.failures().size() <= CountBoard.MAX_KEYS);
    }

    @Test
    void tokenRateLimitAllowsTheLimitPerWindowAndReportsWhatIsLeft() {
        TokenRateLimiter limiter = new TokenRateLimiter(new CurrentBoard(), millis::get);
        assertEquals(new TokenRateLimiter.Decision(true, 2, 1, 10), limiter.acquire("tok_a", 2, 10));
        assertEquals(new TokenRateLimiter.Decision(true, 2, 0, 10), limiter.acquire("tok_a", 2, 10));
        millis.addAndGet(Duration.ofSeconds(4).toMillis());
        assertEquals(new TokenRateLimiter.Decision(false, 2, 0, 6), limiter.acquire("tok_a", 2, 10));
        assertTrue(limiter.acquire("tok_b", 2, 10).allowed(), "limits are per token");

        millis.addAndGet(Duration.ofSeconds(6).toMillis());
        assertTrue(limiter.acquire("tok_a", 2, 10).allowed(), "the next window");
    }
}
