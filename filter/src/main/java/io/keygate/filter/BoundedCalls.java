package io.keygate.filter;

import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import javax.script.Invocable;

/**
 * Calls the verifier in process on threads this filter owns and waits for each call a bounded time, so that no
 * request thread, hand-over or undeployment waits with a proxy that never answers (WildFly's EJB proxy of a
 * {@code keygate.war} that failed to start waits for ever in its start-up await).
 *
 * <p>How stuck threads are kept bounded: the pool has {@value #THREADS} daemon threads and a queue of
 * {@value #QUEUE} calls (a full queue is no answer: 503). A call that times out is cancelled (its thread
 * interrupted, which frees a thread waiting interruptibly) and makes the verifier <em>suspect</em>: until a call
 * answers again, only one call at a time may try (a probe), and no sooner than one timeout after the last one
 * timed out; every other one fails at once instead of taking a thread. While {@value #STUCK_LIMIT} timed-out calls have not come back, no probe is tried at all. So a verifier
 * that hangs costs at most {@value #STUCK_LIMIT} threads, and the others stay free for a {@code keygate.war} that is
 * deployed in its place. Where the verifier answers, a call costs one hand-off to a pool thread and back; a
 * cached verdict costs none, since the cache never calls.
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

    private static final AtomicInteger THREAD_NUMBER = new AtomicInteger();

    private final long timeoutNanos;
    private final ThreadPoolExecutor pool;
    private final AtomicInteger stuck = new AtomicInteger();
    private final AtomicBoolean probing = new AtomicBoolean();
    private volatile boolean suspect;
    /** {@link System#nanoTime()} before which no probe is tried: at most one a timeout, one thread a timeout. */
    private volatile long nextProbe;
    /** {@link System#nanoTime()} by which every call must be over, once the filter is being destroyed. */
    private volatile long deadline;
    private volatile boolean closing;

    BoundedCalls(int timeoutMillis) {
        this.timeoutNanos = TimeUnit.MILLISECONDS.toNanos(timeoutMillis);
        this.pool = new ThreadPoolExecutor(THREADS, THREADS, 30, TimeUnit.SECONDS, new LinkedBlockingQueue<>(QUEUE),
                task -> {
                    Thread thread = new Thread(task, "keygate-verifier-call-" + THREAD_NUMBER.incrementAndGet());
                    thread.setDaemon(true);
                    return thread;
                });
        pool.allowCoreThreadTimeOut(true);
    }

    /** {@code verifier.invokeFunction(function, arguments)}, or {@link NoAnswer} once the time is up. */
    Object call(Invocable verifier, String function, Object[] arguments) throws Exception {
        long wait = closing ? deadline - System.nanoTime() : timeoutNanos;
        if (wait <= 0) {
            throw new NoAnswer("the application is being undeployed");
        }
        boolean probe = suspect;
        if (probe && (stuck.get() >= STUCK_LIMIT || System.nanoTime() - nextProbe < 0
                || !probing.compareAndSet(false, true))) {
            throw new NoAnswer("a call to it is stuck");
        }
        AtomicInteger state = new AtomicInteger(WAITING);
        Future<Object> answer;
        try {
            answer = pool.submit(() -> {
                if (!state.compareAndSet(WAITING, RUNNING)) {
                    return null; // given up before it started
                }
                try {
                    return verifier.invokeFunction(function, arguments);
                } finally {
                    if (!state.compareAndSet(RUNNING, DONE)) {
                        stuck.decrementAndGet(); // a stuck call came back
                    }
                }
            });
        } catch (RejectedExecutionException e) {
            release(probe);
            throw new NoAnswer("no thread free to call it");
        }
        try {
            Object result = answer.get(Math.min(wait, timeoutNanos), TimeUnit.NANOSECONDS);
            suspect = false;
            return result;
        } catch (ExecutionException e) {
            suspect = false; // it answered, with an exception
            throw e.getCause() instanceof Exception cause ? cause : e;
        } catch (TimeoutException e) {
            nextProbe = System.nanoTime() + timeoutNanos;
            suspect = true;
            abandon(state);
            answer.cancel(true);
            throw new NoAnswer("no answer within " + TimeUnit.NANOSECONDS.toMillis(timeoutNanos) + " ms");
        } catch (InterruptedException e) {
            abandon(state);
            answer.cancel(true);
            Thread.currentThread().interrupt();
            throw new NoAnswer("interrupted while waiting for it");
        } finally {
            release(probe);
        }
    }

    /** Calls still waiting for a verifier that timed out them. */
    int stuck() {
        return stuck.get();
    }

    /**
     * The filter is being destroyed: calls from now on wait until {@code millis} from now at most, and none after;
     * then the threads are stopped. Never waits.
     */
    void closeWithin(long millis) {
        deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(millis);
        closing = true;
    }

    /** Stops the threads (interrupting calls still running); never waits. */
    void shutdown() {
        closing = true;
        deadline = System.nanoTime();
        pool.shutdownNow();
    }

    /** The caller gives up on a call: one that is running counts as stuck until it comes back. */
    private void abandon(AtomicInteger state) {
        if (!state.compareAndSet(WAITING, ABANDONED) && state.compareAndSet(RUNNING, ABANDONED)) {
            stuck.incrementAndGet();
        }
    }

    private void release(boolean probe) {
        if (probe) {
            probing.set(false);
        }
    }
}
