package io.keygate.bench.store;

import java.util.Arrays;
import java.util.Locale;

/** Durations in nanoseconds, summarised as the benchmark prints them. */
final class Timings {

    private final long[] nanos;
    private int size;

    Timings(int capacity) {
        nanos = new long[capacity];
    }

    void add(long elapsedNanos) {
        nanos[size++] = elapsedNanos;
    }

    /** The {@code p}-th percentile (nearest rank), in milliseconds. */
    double percentileMillis(double p) {
        long[] sorted = Arrays.copyOf(nanos, size);
        Arrays.sort(sorted);
        int rank = (int) Math.ceil(p / 100 * size);
        return sorted[Math.max(0, rank - 1)] / 1e6;
    }

    double meanMillis() {
        return Arrays.stream(nanos, 0, size).average().orElse(0) / 1e6;
    }

    static String ms(double millis) {
        return String.format(Locale.ROOT, "%.2f ms", millis);
    }
}
