package io.keygate.server.metrics;

import java.util.function.LongConsumer;

/**
 * Where measured durations go: nowhere until an exporter {@linkplain #sendTo says where}. The measuring side holds the
 * sink and never learns whether anything reads it; one volatile read per duration.
 */
public final class DurationSink implements LongConsumer {

    private static final LongConsumer NOWHERE = nanos -> { };

    private volatile LongConsumer target = NOWHERE;

    /** One duration, in nanoseconds. */
    @Override
    public void accept(long nanos) {
        target.accept(nanos);
    }

    /** Durations go to {@code target} from now on; {@code null} drops them again. */
    public void sendTo(LongConsumer target) {
        this.target = target == null ? NOWHERE : target;
    }
}
