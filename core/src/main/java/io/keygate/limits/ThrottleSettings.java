package io.keygate.limits;

import io.keygate.config.ConfigLookup;
import io.keygate.config.ConfigValues;
import jakarta.servlet.ServletException;
import java.time.Duration;

/**
 * The brute-force throttle's thresholds ({@link FailureThrottle}), read with the rest of the filter's settings
 * (and by {@code keygate.war} for its own endpoints).
 *
 * @param maxFailures {@value #MAX_FAILURES}: failed authentications per client address and window before it gets
 *                    429; default {@value #DEFAULT_MAX_FAILURES}; {@code 0} switches the throttle off
 * @param window      {@value #WINDOW_SECONDS}: the window; default {@value #DEFAULT_WINDOW_SECONDS} seconds
 */
public record ThrottleSettings(int maxFailures, Duration window) {

    public static final String MAX_FAILURES = "keygate.throttle.max-failures";
    public static final String WINDOW_SECONDS = "keygate.throttle.window-seconds";
    public static final int DEFAULT_MAX_FAILURES = 20;
    public static final int DEFAULT_WINDOW_SECONDS = 60;

    static final ThrottleSettings DEFAULT = new ThrottleSettings(DEFAULT_MAX_FAILURES,
            Duration.ofSeconds(DEFAULT_WINDOW_SECONDS));

    /** @throws ServletException naming the key and the bad value */
    public static ThrottleSettings read(ConfigLookup config) throws ServletException {
        return new ThrottleSettings(ConfigValues.number(config, MAX_FAILURES, DEFAULT_MAX_FAILURES, 1_000_000),
                Duration.ofSeconds(Math.max(1, ConfigValues.number(config, WINDOW_SECONDS, DEFAULT_WINDOW_SECONDS,
                        86_400))));
    }
}
