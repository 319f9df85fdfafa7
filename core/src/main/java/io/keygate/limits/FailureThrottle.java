package io.keygate.limits;

import io.keygate.transport.TransportSecurity;
import java.time.Duration;
import java.util.OptionalLong;
import java.util.function.LongSupplier;

/**
 * The brute-force throttle: a client address that failed to authenticate {@code maxFailures} times within a
 * window gets {@code 429 Too Many Requests} with {@code Retry-After} (RFC 6585 section 4) for the rest of that
 * window, before its token is even looked at; other clients are not affected. The address is the one
 * {@link TransportSecurity} decides, so behind a trusted proxy it is the real client's.
 *
 * <pre>
 * keygate.throttle.max-failures = 20     (0 switches the throttle off)
 * keygate.throttle.window-seconds = 60
 * </pre>
 *
 * <p>At most {@value #MAX_CLIENTS} addresses are tracked at once; when all of them are within a live window,
 * further addresses are not throttled until windows expire (the alternative, throttling every unknown client,
 * would let an attacker with many addresses lock everyone out).
 */
public final class FailureThrottle {

    static final int MAX_CLIENTS = 100_000;

    private final int maxFailures;
    private final WindowCounters failures;

    public FailureThrottle(int maxFailures, Duration window, LongSupplier nanoClock) {
        this.maxFailures = maxFailures;
        this.failures = new WindowCounters(window.toNanos(), MAX_CLIENTS, nanoClock);
    }

    /** Seconds the client must wait, or empty when it may try. */
    public OptionalLong retryAfter(String client) {
        if (maxFailures <= 0) {
            return OptionalLong.empty();
        }
        WindowCounters.Count count = failures.peek(client);
        return count.value() >= maxFailures ? OptionalLong.of(count.secondsLeft(failures.nowNanos()))
                : OptionalLong.empty();
    }

    /**
     * Whether no client has failed in a live window: then no request can be throttled, and the filter skips
     * working out the client address on its hot path.
     */
    public boolean idle() {
        return maxFailures <= 0 || failures.trackedKeys() == 0;
    }

    /** Counts one failed authentication of {@code client}. */
    public void failed(String client) {
        if (maxFailures > 0) {
            failures.add(client);
        }
    }
}
