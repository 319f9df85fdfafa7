package io.keygate.filter.handover;

import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;
import java.util.logging.Logger;

/**
 * What {@link UsageHandOver} and {@link FailureHandOver} share: something counted in memory and handed to the
 * verifier every {@value #INTERVAL_MILLIS} ms on the filter's scheduler and once more when the WAR is
 * undeployed, one hand-over at a time, and kept for the next one when the verifier does not take it. Subclasses
 * say what one hand-over sends ({@link #send}) and what is lost when the last one fails ({@link #lostAtClose}).
 */
public abstract class PeriodicHandOver {

    public static final long INTERVAL_MILLIS = 1000;
    /** How long {@link #close()} waits at most for a hand-over in progress. */
    public static final long CLOSE_WAIT_MILLIS = 2000;

    private static final Logger LOG = Logger.getLogger(PeriodicHandOver.class.getName());

    /** Held during a hand-over; subclasses guard what they have not handed over yet with it. */
    final ReentrantLock handingOver = new ReentrantLock();
    /** What is handed over, for log lines: "usage counts". */
    private final String what;
    private ScheduledFuture<?> schedule;
    private ScheduledExecutorService scheduler;
    private final java.util.concurrent.atomic.AtomicBoolean soon = new java.util.concurrent.atomic.AtomicBoolean();

    PeriodicHandOver(String what) {
        this.what = what;
    }

    /** Hands over every interval on {@code scheduler}; {@code false} when there is none or it refused the task. */
    public synchronized boolean start(ScheduledExecutorService scheduler) {
        if (scheduler == null) {
            return false;
        }
        try {
            schedule = scheduler.scheduleWithFixedDelay(this::handOver, INTERVAL_MILLIS, INTERVAL_MILLIS,
                    TimeUnit.MILLISECONDS);
            this.scheduler = scheduler;
            return true;
        } catch (RejectedExecutionException e) {
            LOG.info("Keygate cannot schedule the hand-over of " + what + ": the scheduler refused the task");
            return false;
        }
    }

    /** Asks for a hand-over on the scheduler now rather than at the next interval; not on the caller's thread. */
    void handOverSoon() {
        ScheduledExecutorService current;
        synchronized (this) {
            current = scheduler;
        }
        if (current != null && soon.compareAndSet(false, true)) {
            try {
                current.execute(() -> {
                    soon.set(false);
                    handOver();
                });
            } catch (RejectedExecutionException e) {
                soon.set(false);
            }
        }
    }

    /** Hands everything counted to the verifier, unless another hand-over is running; never throws. */
    public void handOver() {
        if (handingOver.tryLock()) {
            try {
                send();
            } catch (RuntimeException e) {
                LOG.warning("Keygate could not hand " + what + " over, they are kept: " + e.getClass().getName());
            } finally {
                handingOver.unlock();
            }
        }
    }

    /** Stops the schedule and makes the last hand-over (the WAR is being undeployed); never throws. */
    public void close() {
        close(System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(CLOSE_WAIT_MILLIS));
    }

    /**
     * Stops the schedule and makes the last hand-over, waiting for one in progress until {@code deadline}
     * ({@link System#nanoTime()}) at most: an undeployment must not wait for a verifier that does not answer (the
     * filter bounds the hand-over's own call). What is not handed over then is logged as lost. Never throws.
     */
    public void close(long deadline) {
        synchronized (this) {
            if (schedule != null) {
                schedule.cancel(false);
            }
        }
        try {
            if (!handingOver.tryLock(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS)) {
                LOG.warning("Keygate could not hand over the last " + what + ": a hand-over to the verifier is still"
                        + " waiting for its answer while this application stops");
                return;
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return;
        }
        try {
            if (!send()) {
                lostAtClose();
            }
        } catch (RuntimeException e) {
            LOG.warning("Keygate could not hand over the last " + what + ": " + e.getClass().getName());
        } finally {
            handingOver.unlock();
        }
    }

    /** Hands over everything counted; called holding {@link #handingOver}. Whether the verifier took it all. */
    abstract boolean send();

    /** The last hand-over failed: log, by number, what is lost. Called holding {@link #handingOver}. */
    abstract void lostAtClose();
}
