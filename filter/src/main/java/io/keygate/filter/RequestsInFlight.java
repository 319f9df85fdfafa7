package io.keygate.filter;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.LockSupport;

/**
 * The requests in the filter's own work (from the transport check to the answer it writes, or to the hand-over to the
 * application) while the filter is destroyed, so that {@link FilterParts#close()} returns only once each has left.
 *
 * <p>Why: a request still waiting for the verifier when its WAR is undeployed gets its {@code 503} after its wait
 * ends ({@link ClosingDeadline} ends it in time), and writing that answer may load classes the filter has not used
 * before (the first failure's log line, its metrics). A server that has taken the WAR's classes away by then answers
 * {@code 500} instead ({@code NoClassDefFoundError} on WildFly). Waiting for the verifier call alone left that last
 * stretch to chance. The hand-overs' calls need no count here: each hand-over's {@code close} waits for the one in
 * progress.
 *
 * <p>Two {@link LongAdder}s rather than one counter: every request passes here, and an adder costs no contention
 * between request threads. The sums are read only while the filter is destroyed.
 */
final class RequestsInFlight {

    /** How often {@link #awaitAll} looks again: undeployment is rare, and a millisecond is within its noise. */
    private static final long LOOK_AGAIN_NANOS = TimeUnit.MILLISECONDS.toNanos(1);

    private final LongAdder entered = new LongAdder();
    private final LongAdder left = new LongAdder();

    /** A request comes in; it must {@link #leave()} in a {@code finally}. */
    void enter() {
        entered.increment();
    }

    void leave() {
        left.increment();
    }

    /**
     * Waits until every request that came in has left, until {@code deadline} ({@link System#nanoTime()}) at most.
     * {@code left} is read first: a request counts there only after it counted in {@code entered}, and both only
     * grow, so equal sums mean that at one moment between the two reads no request was inside.
     */
    void awaitAll(long deadline) {
        while (left.sum() != entered.sum() && deadline - System.nanoTime() > 0) {
            LockSupport.parkNanos(LOOK_AGAIN_NANOS);
            if (Thread.currentThread().isInterrupted()) {
                return;
            }
        }
    }
}
