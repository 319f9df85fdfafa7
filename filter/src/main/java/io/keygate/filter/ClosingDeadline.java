package io.keygate.filter;

import java.util.concurrent.TimeUnit;

/**
 * When the calls to the verifier in process ({@link BoundedCalls}) must be over because the filter is being
 * destroyed: from {@link #closeWithin} on, each waits until that deadline at most, however long its own time, so that
 * the request that made it still has time to write its {@code 503} before {@code destroy()} returns
 * ({@link RequestsInFlight} waits for that).
 */
final class ClosingDeadline {

    /** {@link System#nanoTime()} by which every call must have its answer, once {@link #closing}. */
    private volatile long deadline;
    private volatile boolean closing;

    /** Whether the filter is being destroyed: how a call ends then says nothing about the verifier. */
    boolean closing() {
        return closing;
    }

    /** When a call whose own time ends at {@code end} must have its answer: sooner once the filter is destroyed. */
    long limit(long end) {
        long last = deadline;
        return closing && last - end < 0 ? last : end;
    }

    /** Calls wait until {@code millis} from now at most, and none is made after. */
    void closeWithin(long millis) {
        deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(millis);
        closing = true;
    }

    /** No call is made any more, and any still waiting stops. */
    void closeNow() {
        deadline = System.nanoTime();
        closing = true;
    }
}
