package io.keygate.filter;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The callers of the verifier in process ({@link BoundedCalls}) while the filter is destroyed: from
 * {@link #closeWithin} on, each waits until that deadline at most, however long its own time, and
 * {@link #awaitCallers} waits for the last to leave.
 *
 * <p>Why wait for them at all: a request still waiting for the verifier when its WAR is undeployed goes on in the
 * filter once its wait ends, and a server that has taken the WAR's classes away by then answers it {@code 500}
 * ({@code NoClassDefFoundError} on WildFly) instead of {@code 503}. Stopping the threads that call the verifier
 * before the request has its answer would end its wait at once, in that state.
 */
final class CallersInFlight {

    private final AtomicInteger callers = new AtomicInteger();
    /** {@link System#nanoTime()} by which every caller must have its answer, once {@link #closing}. */
    private volatile long deadline;
    private volatile boolean closing;

    /** A caller comes in; it must {@link #leave()} in a {@code finally}. */
    void enter() {
        callers.incrementAndGet();
    }

    void leave() {
        if (callers.decrementAndGet() == 0 && closing) {
            synchronized (callers) {
                callers.notifyAll();
            }
        }
    }

    /** Whether the filter is being destroyed: how a call ends then says nothing about the verifier. */
    boolean closing() {
        return closing;
    }

    /** When a caller whose own time ends at {@code end} must have its answer: sooner once the filter is destroyed. */
    long limit(long end) {
        long last = deadline;
        return closing && last - end < 0 ? last : end;
    }

    /** Callers wait until {@code millis} from now at most, and none is admitted after. */
    void closeWithin(long millis) {
        deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(millis);
        closing = true;
    }

    /** No caller is admitted any more, and any still waiting stops. */
    void closeNow() {
        deadline = System.nanoTime();
        closing = true;
    }

    /**
     * Waits until no caller is left, until {@code until} ({@link System#nanoTime()}) at most; after
     * {@link #closeWithin}, which bounds every caller by its deadline.
     */
    void awaitCallers(long until) {
        synchronized (callers) {
            while (callers.get() > 0) {
                long left = until - System.nanoTime();
                if (left <= 0) {
                    return;
                }
                try {
                    callers.wait(Math.max(1, TimeUnit.NANOSECONDS.toMillis(left)));
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                }
            }
        }
    }
}
