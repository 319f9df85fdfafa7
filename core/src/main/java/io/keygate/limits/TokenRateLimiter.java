package io.keygate.limits;

import java.util.concurrent.atomic.AtomicLongArray;
import java.util.function.LongSupplier;

/**
 * Per-token request rates set by an admin ({@code "rateLimit": {"requests": 100, "windowSeconds": 60}}): a
 * request beyond the limit gets {@code 429} with {@code Retry-After} and the {@code RateLimit-Limit},
 * {@code RateLimit-Remaining} and {@code RateLimit-Reset} headers (draft-ietf-httpapi-ratelimit-headers).
 *
 * <p>Counted per token id on the server's {@link CountBoard}, which every WAR's filter and {@code keygate.war} share
 * and {@code keygate.war} exchanges with the other servers, in fixed windows aligned to the epoch, so that the limit
 * holds for the token as a whole, not per WAR or per server. Only admitted requests count: a refused one does not
 * spend the quota. Public for {@code keygate.war}, whose own endpoints count a token's requests the same way.
 */
public final class TokenRateLimiter {

    /** The outcome of one request against a token's limit. */
    public record Decision(boolean allowed, long limit, long remaining, long resetSeconds) {
    }

    private final CurrentBoard board;
    private final LongSupplier clock;

    /** @param clock epoch milliseconds: windows are aligned to the epoch so that every server agrees on them */
    public TokenRateLimiter(CurrentBoard board, LongSupplier clock) {
        this.board = board;
        this.clock = clock;
    }

    /** Counts a request of {@code tokenId} against {@code requests} per {@code windowSeconds}, if it is admitted. */
    public Decision acquire(String tokenId, long requests, long windowSeconds) {
        CountBoard counts = board.get();
        long now = clock.getAsLong();
        AtomicLongArray window = SharedWindow.current(counts.rates(), tokenId, windowSeconds * 1000, now,
                CountBoard.MAX_KEYS);
        if (window == null) {
            // Every slot holds a live window: count nothing rather than refuse a token that never got a slot.
            return new Decision(true, requests, requests, windowSeconds);
        }
        long reset = SharedWindow.secondsLeft(window, now);
        long counted = SharedWindow.admit(window, requests, counts.servers());
        if (counted < 0) {
            return new Decision(false, requests, Math.max(0, requests - SharedWindow.total(window)), reset);
        }
        return new Decision(true, requests, Math.max(0, requests - counted), reset);
    }
}
