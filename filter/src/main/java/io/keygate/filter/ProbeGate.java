package io.keygate.filter;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Which calls to the verifier in process {@link BoundedCalls} makes, told apart by the <em>kind</em> of verifier: the
 * class of the proxy the look-up returned. A server defines that class in the class loader of the deployment of
 * {@code keygate.war} (WildFly names it {@code deployment.keygate.war//javax.script.Invocable$$$view1}), so every
 * proxy of one deployment has the same kind, and a {@code keygate.war} deployed in its place has another.
 *
 * <p>Why: a call to WildFly's proxy of a {@code keygate.war} that failed to start waits in its start-up await until
 * its thread is interrupted, and WildFly logs every interrupted call as an error with a stack trace
 * ({@code WFLYEJB0034}). Asking such a verifier again every few seconds only fills the server log; one call that
 * keeps waiting tells all there is to know. So:
 * <ul>
 * <li>calls to the kind that answered last go at once, as many as come;</li>
 * <li>a kind that has not answered yet (the first call of this WAR, a {@code keygate.war} deployed in place of another)
 * gets one call at a time, the <em>probe</em>; other calls to it wait for the probe's outcome within their own time,
 * so the first requests of a WAR do not fail for want of a verdict they are about to get;</li>
 * <li>a kind whose call timed out and still waits ({@link #hangs parked}) gets no call at all: every call fails at once
 * until that parked call comes back, which then says that it answers again. A kind whose timed-out call could not
 * be parked gets a probe once a timeout, as a verifier that hangs did before parking.</li>
 * </ul>
 */
final class ProbeGate {

    /** A kind whose call timed out: whether a call of it is parked, and when it may be probed if none is. */
    private record Hang(Class<?> kind, boolean parked, long nextProbe) {
    }

    private final long timeoutNanos;
    /** The kind that answered last: calls to it go at once. {@code null} until one answers, and while it hangs. */
    private volatile Class<?> answering;
    private volatile Hang hang;
    /** The probe in progress, counted down when it is over; {@code null} while there is none. */
    private final AtomicReference<CountDownLatch> probe = new AtomicReference<>();

    ProbeGate(long timeoutNanos) {
        this.timeoutNanos = timeoutNanos;
    }

    /**
     * Admits a call to a verifier of {@code kind}, waiting until {@code end} ({@link System#nanoTime()}) at most for
     * another caller's probe. {@code true}: the caller is the probe and must call {@link #probeOver()} once its call
     * is over.
     *
     * @throws BoundedCalls.NoAnswer when the call must not be made
     */
    boolean admit(Class<?> kind, long end) throws BoundedCalls.NoAnswer {
        while (kind != answering) {
            Hang current = hang;
            if (current != null && current.kind() == kind
                    && (current.parked() || System.nanoTime() - current.nextProbe() < 0)) {
                throw new BoundedCalls.NoAnswer("a call to it is stuck");
            }
            CountDownLatch mine = new CountDownLatch(1);
            CountDownLatch other = probe.compareAndExchange(null, mine);
            if (other == null) {
                return true;
            }
            long left = end - System.nanoTime();
            try {
                if (left <= 0 || !other.await(left, TimeUnit.NANOSECONDS)) {
                    throw new BoundedCalls.NoAnswer("no answer within " + TimeUnit.NANOSECONDS.toMillis(timeoutNanos)
                            + " ms");
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new BoundedCalls.NoAnswer("interrupted while waiting for it");
            }
        }
        return false;
    }

    /** The probe's call is over, whatever its outcome: the callers waiting for it look again. */
    void probeOver() {
        CountDownLatch over = probe.getAndSet(null);
        if (over != null) {
            over.countDown();
        }
    }

    /** A verifier of {@code kind} answered (a value or an exception): calls to it go at once from now on. */
    void answered(Class<?> kind) {
        if (answering != kind) { // written only when it changes: every call that answers comes here
            answering = kind;
        }
        if (hang != null) {
            hang = null;
        }
    }

    /**
     * A call to {@code kind} that had timed out came back with an answer: it answers again, unless another kind
     * answered meanwhile (a {@code keygate.war} deployed in place of this one). Whether it counts as answering now.
     */
    boolean answeredLate(Class<?> kind) {
        Hang current = hang;
        if (current != null && current.kind() == kind) {
            answered(kind);
            return true;
        }
        return false;
    }

    /**
     * A call to {@code kind} timed out; {@code parked}: a call to it keeps waiting, whose return {@link #answeredLate}
     * reports.
     */
    void hangs(Class<?> kind, boolean parked) {
        hang = new Hang(kind, parked, System.nanoTime() + timeoutNanos);
        if (answering == kind) {
            answering = null;
        }
    }
}
