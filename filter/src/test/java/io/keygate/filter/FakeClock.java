package io.keygate.filter;

import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;

/** Epoch milliseconds that move only when a test says so. */
final class FakeClock implements LongSupplier {

    private final AtomicLong now = new AtomicLong(1_700_000_000_000L);

    @Override
    public long getAsLong() {
        return now.get();
    }

    void advanceSeconds(long seconds) {
        now.addAndGet(seconds * 1000);
    }

    void advanceMillis(long millis) {
        now.addAndGet(millis);
    }
}
