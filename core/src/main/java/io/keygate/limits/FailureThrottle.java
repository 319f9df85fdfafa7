package io.keygate.limits;

import io.keygate.transport.TransportSecurity;
import java.time.Duration;
import java.util.OptionalLong;
import java.util.concurrent.atomic.AtomicLongArray;
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
 * <p>Failures are counted on the server's {@link CountBoard}, in windows aligned to the epoch, so that the failures
 * a client made at any WAR of the server, or at another server, count together. The key carries the window's length,
 * so WARs configured with different windows do not reset each other's counts.
 *
 * <p>At most {@value CountBoard#MAX_KEYS} clients are tracked at once; when all of them are within a live window,
 * further clients are not throttled until windows expire (the alternative, throttling every unknown client,
 * would let an attacker with many addresses lock everyone out).
 */
public final class FailureThrottle {

    private final int maxFailures;
    private final long windowMillis;
    private final String suffix;
    private final String prefix;
    private final CurrentBoard board;
    private final LongSupplier clock;

    /**
     * @param prefix tells apart what is counted ({@code ""} for client addresses, as every WAR counts them)
     * @param clock  epoch milliseconds
     */
    public FailureThrottle(int maxFailures, Duration window, String prefix, CurrentBoard board, LongSupplier clock) {
        this.maxFailures = maxFailures;
        this.windowMillis = window.toMillis();
        this.suffix = "@" + window.toSeconds();
        this.prefix = prefix;
        this.board = board;
        this.clock = clock;
    }

    /** Seconds the client must wait, or empty when it may try. */
    public OptionalLong retryAfter(String client) {
        if (maxFailures <= 0) {
            return OptionalLong.empty();
        }
        long now = clock.getAsLong();
        AtomicLongArray window = SharedWindow.live(board.get().failures(), key(client), now);
        return window != null && SharedWindow.total(window) >= maxFailures
                ? OptionalLong.of(SharedWindow.secondsLeft(window, now)) : OptionalLong.empty();
    }

    /**
     * Whether no client has failed in a live window at any WAR or server this one heard of: then no request can be
     * throttled, and the filter skips working out the client address on its hot path. One volatile read and a look
     * at the size of a map.
     */
    public boolean idle() {
        return maxFailures <= 0 || board.get().failures().isEmpty();
    }

    /** Counts one failed authentication of {@code client}. */
    public void failed(String client) {
        if (maxFailures > 0) {
            AtomicLongArray window = SharedWindow.current(board.get().failures(), key(client), windowMillis,
                    clock.getAsLong(), CountBoard.MAX_KEYS);
            if (window != null) {
                SharedWindow.add(window);
            }
        }
    }

    private String key(String client) {
        return prefix + client + suffix;
    }
}
