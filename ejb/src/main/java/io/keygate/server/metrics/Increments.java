package io.keygate.server.metrics;

import java.util.HashMap;
import java.util.Map;

/**
 * Turns running totals into increments: a metrics registry owns its counters and only lets them be incremented, while
 * the filters count on adders of their own; publishing each total's growth since the last time keeps the two equal.
 * One publisher at a time (the periodic export); not thread-safe.
 */
public final class Increments {

    private final Map<Object, Long> published = new HashMap<>();

    /** How much {@code total} grew since it was last published under {@code key} (the first time: all of it). */
    public long since(Object key, long total) {
        long last = published.getOrDefault(key, 0L);
        if (total <= last) {
            return 0;
        }
        published.put(key, total);
        return total - last;
    }
}
