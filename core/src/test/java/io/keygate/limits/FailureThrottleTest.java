package io.keygate.limits;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.keygate.limits.FailureThrottle;
import io.keygate.limits.TokenRateLimiter;
import io.keygate.limits.WindowCounters;
import java.time.Duration;
import java.util.OptionalLong;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class FailureThrottleTest {

    private final AtomicLong nanos = new AtomicLong(1_000_000_000L);
    private final FailureThrottle throttle = new FailureThrottle(3, Duration.ofSeconds(60), nanos::get);

    @Test
    void throttleWhenFailuresReachTheLimitThenRetryAfterTheRestOfTheWindow() {
        throttle.failed("203.0.113.7");
        throttle.failed("203.0.113.7");
        assertFalse(throttle.retryAfter("203.0.113.7").isPresent(), "two failures are allowed");

        throttle.failed("203.0.113.7");
        nanos.addAndGet(Duration.ofSeconds(20).toNanos());

        assertEquals(OptionalLong.of(40), throttle.retryAfter("203.0.113.7"));
        assertFalse(throttle.retryAfter("198.51.100.1").isPresent(), "other clients are not affected");
    }

    @Test
    void throttleLiftsWhenTheWindowEnds() {
        for (int i = 0; i < 3; i++) {
            throttle.failed("203.0.113.7");
        }
        nanos.addAndGet(Duration.ofSeconds(60).toNanos());

        assertFalse(throttle.retryAfter("203.0.113.7").isPresent());
        throttle.failed("203.0.113.7");
        assertFalse(throttle.retryAfter("203.0.113.7").isPresent(), "a new window starts from zero");
    }

    @Test
    void throttleIsIdleUntilAFailureAndAgainOnceItsWindowEndedAndWasLookedAt() {
        assertTrue(throttle.idle(), "nothing to check before any failure");
        throttle.failed("203.0.113.7");
        assertFalse(throttle.idle());

        nanos.addAndGet(Duration.ofSeconds(60).toNanos());
        assertFalse(throttle.retryAfter("203.0.113.7").isPresent());
        assertTrue(throttle.idle(), "the ended window is gone");
    }

    @Test
    void zeroMaxFailuresSwitchesTheThrottleOff() {
        FailureThrottle off = new FailureThrottle(0, Duration.ofSeconds(60), nanos::get);
        for (int i = 0; i < 100; i++) {
            off.failed("203.0.113.7");
        }
        assertFalse(off.retryAfter("203.0.113.7").isPresent());
    }

    @Test
    void windowCountersStayBoundedUnderAFloodOfKeys() {
        WindowCounters counters = new WindowCounters(Duration.ofSeconds(60).toNanos(), 100, nanos::get);
        for (int i = 0; i < 100; i++) {
            counters.add("client-" + i);
        }
        assertNull(counters.add("one-too-many"), "no slot while every window is live");
        assertEquals(100, counters.trackedKeys());

        nanos.addAndGet(Duration.ofSeconds(61).toNanos());
        assertEquals(1, counters.add("after-expiry").value(), "expired windows are swept to make room");
        assertTrue(counters.trackedKeys() <= 100);
    }

    @Test
    void tokenRateLimitAllowsTheLimitPerWindowAndReportsWhatIsLeft() {
        TokenRateLimiter limiter = new TokenRateLimiter(nanos::get);
        assertEquals(new TokenRateLimiter.Decision(true, 2, 1, 10), limiter.acquire("tok_a", 2, 10));
        assertEquals(new TokenRateLimiter.Decision(true, 2, 0, 10), limiter.acquire("tok_a", 2, 10));
        nanos.addAndGet(Duration.ofSeconds(4).toNanos());
        assertEquals(new TokenRateLimiter.Decision(false, 2, 0, 6), limiter.acquire("tok_a", 2, 10));
        assertTrue(limiter.acquire("tok_b", 2, 10).allowed(), "limits are per token");

        nanos.addAndGet(Duration.ofSeconds(6).toNanos());
        assertTrue(limiter.acquire("tok_a", 2, 10).allowed(), "the next window");
    }
}
