package io.keygate.filter;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import javax.script.Invocable;

/**
 * Calls the verifier in process on threads this filter owns and waits for each call a bounded time, so that no
 * request thread, hand-over or undeployment waits with a proxy that never answers (WildFly's EJB proxy of a
 * {@code keygate.war} that failed to start waits for ever in its start-up await).
 *
 * <p>The pool has {@value #THREADS} daemon threads and a queue of {@value #QUEUE} calls (a full queue is no answer:
 * 503). A call that does not answer in time is <em>parked</em>: its caller gets {@link NoAnswer}, and the call goes on
 * waiting on its thread, not interrupted. Interrupting it would free the thread, but WildFly logs every interrupted
 * call with a stack trace, and a call left waiting says by its return when the verifier answers again (a
 * {@code keygate.war} that was only slow to start). Until then {@link ProbeGate} lets no call reach that verifier:
 * every one fails at once; a {@code keygate.war} deployed in its place is called at once, its proxy being of
 * another class.
 *
 * <p>What bounds the threads: at most {@value #STUCK_LIMIT} calls are parked, and one that times out beyond them is
 * interrupted. Parked calls are interrupted too once another verifier answered (their {@code keygate.war} was
 * replaced, so they would wait for ever) and when the filter is destroyed. So a verifier that hangs costs this WAR
 * one thread while it hangs and, when that thread is interrupted at last, one stack trace in WildFly's log. Where
 * the verifier answers, a call costs one hand-off to a pool thread and back; a cached verdict costs none, since the
 * cache never calls.
 */
final class BoundedCalls {

    static final int THREADS = 32;
    static final int QUEUE = 1024;
    static final int STUCK_LIMIT = 8;

    /** No answer in time, or no room to try: the verifier is unavailable. The message quotes no argument. */
    static final class NoAnswer extends Exception {
        private static final long serialVersionUID = 1L;

        NoAnswer(String message) {
            super(message, null, false, false);
        }
    }

    /** The states of one call: queued, running, over, given up by its caller (while queued or running). */
    private static final int WAITING = 0;
    private static final int RUNNING = 1;
    private static final int DONE = 2;
    private static final int ABANDONED = 3;

    /** One call: its state, the kind of verifier it calls ({@link ProbeGate}) and its task. */
    private static final class Call {
        final AtomicInteger state = new AtomicInteger(WAITING);
        final Class<?> kind;
        volatile Future<?> task;
        /** Interrupted by this class: how it ends says nothing about the verifier. */
        volatile boolean released;

        Call(Class<?> kind) {
            this.kind = kind;
        }
    }

    private static final AtomicInteger THREAD_NUMBER = new AtomicInteger();
    /** How often a caller still waiting looks whether the filter is being destroyed. */
    private static final long LOOK_AGAIN_NANOS = TimeUnit.MILLISECONDS.toNanos(50);

    private final long timeoutNanos;
    private final ThreadPoolExecutor pool;
    private final ProbeGate gate;
    /** Calls that timed out and still wait, not interrupted. */
    private final Set<Call> parked = ConcurrentHashMap.newKeySet();
    private final ClosingDeadline closing = new ClosingDeadline();

    BoundedCalls(int timeoutMillis) {
        this.timeoutNanos = TimeUnit.MILLISECONDS.toNanos(timeoutMillis);
        this.gate = new ProbeGate(timeoutNanos);
        this.pool = new ThreadPoolExecutor(THREADS, THREADS, 30, TimeUnit.SECONDS, new LinkedBlockingQueue<>(QUEUE),
                task -> {
                    Thread thread = new Thread(task, "keygate-verifier-call-" + THREAD_NUMBER.incrementAndGet());
                    thread.setDaemon(true);
                    return thread;
                });
        pool.allowCoreThreadTimeOut(true);
    }

    /**
     * {@code verifier.invokeFunction(function, arguments)}, or {@link NoAnswer} once the time is up, or at once when
     * {@link ProbeGate} lets no call reach this verifier. Waiting for another caller's probe counts against the time.
     */
    Object call(Invocable verifier, String function, Object[] arguments) throws Exception {
        long end = System.nanoTime() + timeoutNanos;
        Call call = new Call(verifier.getClass());
        boolean probe = gate.admit(call.kind, closing.limit(end));
        try {
            return callAdmitted(call, verifier, function, arguments, end);
        } finally {
            if (probe) {
                gate.probeOver();
            }
        }
    }

    private Object callAdmitted(Call call, Invocable verifier, String function, Object[] arguments, long end)
            throws Exception {
        if (closing.limit(end) - System.nanoTime() <= 0) {
            throw new NoAnswer("the application is being undeployed");
        }
        Future<Object> answer;
        try {
            answer = pool.submit(() -> run(call, verifier, function, arguments));
        } catch (RejectedExecutionException e) {
            throw new NoAnswer("no thread free to call it");
        }
        call.task = answer;
        try {
            Object result = await(answer, end);
            answered(call.kind);
            return result;
        } catch (ExecutionException e) {
            if (!call.released && !closing.closing()) {
                answered(call.kind); // it answered, with an exception
            }
            throw e.getCause() instanceof Exception cause ? cause : e;
        } catch (TimeoutException e) {
            if (park(call) && parked.size() > STUCK_LIMIT) {
                release(call);
            }
            gate.hangs(call.kind, parked.stream().anyMatch(waiting -> waiting.kind == call.kind));
            throw new NoAnswer(closing.limit(end) != end ? "the application is being undeployed"
                    : "no answer within " + TimeUnit.NANOSECONDS.toMillis(timeoutNanos) + " ms");
        } catch (InterruptedException e) {
            park(call); // its caller gave up, not the verifier: it may answer yet
            Thread.currentThread().interrupt();
            throw new NoAnswer("interrupted while waiting for it");
        }
    }

    /**
     * The answer, waiting until {@code end} at most, and once the filter is being destroyed until its deadline at most,
     * though the wait began before ({@link ClosingDeadline}).
     */
    private Object await(Future<Object> answer, long end) throws Exception {
        while (true) {
            long left = closing.limit(end) - System.nanoTime();
            if (left <= 0) {
                throw new TimeoutException();
            }
            try {
                return answer.get(Math.min(left, LOOK_AGAIN_NANOS), TimeUnit.NANOSECONDS);
            } catch (TimeoutException e) {
                // look at the limit again: the filter may be being destroyed
            }
        }
    }

    /** On a pool thread: the call itself, unless its caller gave up before it started. */
    private Object run(Call call, Invocable verifier, String function, Object[] arguments) throws Exception {
        if (!call.state.compareAndSet(WAITING, RUNNING)) {
            return null;
        }
        try {
            return verifier.invokeFunction(function, arguments);
        } finally {
            if (!call.state.compareAndSet(RUNNING, DONE)) { // a parked call came back
                parked.remove(call);
                if (!call.released && !closing.closing() && gate.answeredLate(call.kind)) {
                    releaseAllBut(call.kind);
                }
            }
        }
    }

    /**
     * The caller no longer waits for {@code call}: one still queued never runs, one running is parked, and
     * {@link #run} takes it out again when it comes back. Whether it was parked.
     */
    private boolean park(Call call) {
        if (call.state.compareAndSet(WAITING, ABANDONED)) {
            return false;
        }
        parked.add(call); // before it is marked, so that its return always finds it to take out
        if (call.state.compareAndSet(RUNNING, ABANDONED)) {
            return true;
        }
        parked.remove(call); // it was over already
        return false;
    }

    /** A verifier of {@code kind} answered: calls to it go at once, and calls parked on any other are let go. */
    private void answered(Class<?> kind) {
        gate.answered(kind);
        if (!parked.isEmpty()) {
            releaseAllBut(kind);
        }
    }

    private void releaseAllBut(Class<?> kind) {
        parked.stream().filter(call -> call.kind != kind).forEach(this::release);
    }

    /** Interrupts a parked call, which its thread then ends: the verifier it waits for was replaced, or is given up. */
    private void release(Call call) {
        call.released = true;
        parked.remove(call);
        Future<?> task = call.task;
        if (task != null) {
            task.cancel(true);
        }
    }

    /** Calls that timed out and still wait for the verifier. */
    int stuck() {
        return parked.size();
    }

    /**
     * The filter is being destroyed: calls from now on wait until {@code millis} from now at most, and none after,
     * and so do calls already waiting. Never waits.
     */
    void closeWithin(long millis) {
        closing.closeWithin(millis);
    }

    /** Stops the threads, interrupting calls still running or parked; never waits. */
    void shutdown() {
        closing.closeNow();
        parked.forEach(this::release);
        pool.shutdownNow();
    }
}
