package io.keygate.it;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;

/**
 * Delays measured over repeated trials, in milliseconds, and their nearest-rank percentiles: with 20 trials p99
 * is the slowest, p50 the tenth.
 */
final class Delays {

    private final List<Double> millis = new ArrayList<>();

    void add(long nanos) {
        millis.add(nanos / 1_000_000.0);
    }

    int count() {
        return millis.size();
    }

    /** The nearest-rank {@code percent} percentile in milliseconds (0 when nothing was measured). */
    double percentile(int percent) {
        if (millis.isEmpty()) {
            return 0;
        }
        List<Double> sorted = new ArrayList<>(millis);
        Collections.sort(sorted);
        int rank = (int) Math.ceil(percent / 100.0 * sorted.size());
        return sorted.get(Math.max(0, rank - 1));
    }

    double max() {
        return millis.isEmpty() ? 0 : Collections.max(millis);
    }

    /** {@code p50=.. p99=.. max=.. ms (n=..)}. */
    String summary() {
        return String.format(Locale.ROOT, "p50=%.1f p99=%.1f max=%.1f ms (n=%d)", percentile(50), percentile(99),
                max(), count());
    }
}
