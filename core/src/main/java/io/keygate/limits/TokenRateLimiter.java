package io.keygate.limits;

import java.util.function.LongSupplier;

/**
 * Per-token request rates set by an admin ({@code "rateLimit": {"requests": 100, "windowSeconds": 60}}): a
 * request beyond the limit gets {@code 429} with {@code Retry-After} and the {@code RateLimit-Limit},
 * {@code RateLimit-Remaining} and {@code RateLimit-Reset} headers (draft-ietf-httpapi-ratelimit-headers).
 * Counted per token id in this WAR's memory, in fixed windows. Public for {@code keygate.war}, whose own endpoints
 * count a token's requests the same way.
 */
public final class TokenRateLimiter {

    /** The outcome of one request against a token's limit. */
    public record Decision(boolean allowed, long limit, long remaining, long resetSeconds) {
    }

    private static final int MAX_TOKENS = 100_000;

    private final LongSupplier nanoClock;
    private final java.util.concurrent.ConcurrentHashMap<Long, WindowCounters> byWindow =
            new java.util.concurrent.ConcurrentHashMap<>();

    public TokenRateLimiter(LongSupplier nanoClock) {
        this.nanoClock = nanoClock;
    }

    /** Counts a request of {@code tokenId} against {@code requests} per {@code windowSeconds}. */
    public Decision acquire(String tokenId, long requests, long windowSeconds) {
        WindowCounters counters = byWindow.computeIfAbsent(windowSeconds,
                seconds -> new WindowCounters(seconds * 1_000_000_000L, MAX_TOKENS, nanoClock));
        WindowCounters.Count count = counters.add(tokenId);
        if (count == null) {
            // Every slot holds a live window: count nothing rather than refuse a token that never got a slot.
            return new Decision(true, requests, requests, windowSeconds);
        }
        long reset = count.secondsLeft(counters.nowNanos());
        return new Decision(count.value() <= requests, requests, Math.max(0, requests - count.value()), reset);
    }
}
