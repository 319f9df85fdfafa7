package io.keygate.limits;

import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;

/**
 * Counts events per key in fixed time windows, in bounded memory: the shared mechanism of the brute-force
 * throttle (failures per client address) and of per-token rate limits (requests per token).
 *
 * <p>A fixed window is cheap (one map look-up and one atomic increment) and its worst case is known: at most
 * twice the limit across a window boundary. When {@code maxKeys} keys are tracked, expired windows are swept;
 * if all are live, a new key is not tracked and {@link #add} reports it as untracked, so memory stays bounded
 * under a flood of distinct keys (OWASP API4:2023) and the caller decides what an untracked key means. Public for
 * {@code keygate.war}'s throttles.
 */
public final class WindowCounters {

    /** The count of a key in the current window, and when that window ends. */
    public record Count(long value, long windowEndNanos) {

        /** Whole seconds until the window ends, at least 1 (for {@code Retry-After}). */
        public long secondsLeft(long nowNanos) {
            return Math.max(1, (windowEndNanos - nowNanos + 999_999_999L) / 1_000_000_000L);
        }
    }

    private record Window(long endNanos, AtomicLong count) {
    }

    private final long windowNanos;
    private final int maxKeys;
    private final LongSupplier nanoClock;
    private final ConcurrentHashMap<String, Window> windows = new ConcurrentHashMap<>();

    public WindowCounters(long windowNanos, int maxKeys, LongSupplier nanoClock) {
        this.windowNanos = windowNanos;
        this.maxKeys = maxKeys;
        this.nanoClock = nanoClock;
    }

    /** Adds one to {@code key}'s count; {@code null} when the key cannot be tracked (all slots live). */
    public Count add(String key) {
        long now = nanoClock.getAsLong();
        Window window = windows.get(key);
        if (window == null || now - window.endNanos() >= 0) {
            if (window == null && windows.size() >= maxKeys && !sweep(now)) {
                return null;
            }
            window = windows.compute(key, (k, w) -> w == null || now - w.endNanos() >= 0
                    ? new Window(now + windowNanos, new AtomicLong()) : w);
        }
        return new Count(window.count().incrementAndGet(), window.endNanos());
    }

    /** {@code key}'s count in the current window, without adding to it. */
    public Count peek(String key) {
        long now = nanoClock.getAsLong();
        Window window = windows.get(key);
        if (window == null || now - window.endNanos() >= 0) {
            if (window != null) {
                windows.remove(key, window); // an ended window is forgotten as soon as it is looked at
            }
            return new Count(0, now + windowNanos);
        }
        return new Count(window.count().get(), window.endNanos());
    }

    public long nowNanos() {
        return nanoClock.getAsLong();
    }

    int trackedKeys() {
        return windows.size();
    }

    /** Drops expired windows; whether there is room now. */
    private boolean sweep(long now) {
        windows.values().removeIf(w -> now - w.endNanos() >= 0);
        return windows.size() < maxKeys;
    }
}
