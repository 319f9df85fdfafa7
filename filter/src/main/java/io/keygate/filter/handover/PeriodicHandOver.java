package io.keygate.filter.handover;

import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.BooleanSupplier;
import java.util.logging.Logger;

/**
 * What {@link UsageHandOver} and {@link FailureHandOver} share: something counted in memory and handed to the
 * verifier every {@value #INTERVAL_MILLIS} ms on the filter's scheduler and once more when the WAR is undeployed,
 * one hand-over at a time, and kept for the next one when the verifier does not take it. Subclasses say what one
 * hand-over sends ({@link #send}) and what is lost when the last one fails ({@link #lostAtClose}).
 *
 * <p>While the verifier gives no answer (it is not found, or its calls get none in time), the periodic hand-over
 * backs off: after each one it did not take, the next waits twice as long, {@value #MAX_BACKOFF_MILLIS} ms at most,
 * and as soon as a call to the verifier gets an answer again (a request's, usually) they are every interval again. A
 * verifier that is away therefore costs a look-up a minute, not one a second, and finding out whether it is back is
 * left to the requests that need it.
 */
public abstract class PeriodicHandOver {

    public static final long INTERVAL_MILLIS = 1000;
    /** How long {@link #close()} waits at most for a hand-over in progress. */
    public static final long CLOSE_WAIT_MILLIS = 2000;
    /** The longest pause between two periodic hand-overs while the verifier gives no answer. */
    public static final long MAX_BACKOFF_MILLIS = 60_000;
    private static final long MAX_BACKOFF_TICKS = MAX_BACKOFF_MILLIS / INTERVAL_MILLIS;

    private static final Logger LOG = Logger.getLogger(PeriodicHandOver.class.getName());

    /** Held during a hand-over; subclasses guard what they have not handed over yet with it. */
    final ReentrantLock handingOver = new ReentrantLock();
    /** What is handed over, for log lines: "usage counts". */
    private final String what;
    /** Whether the verifier answers: {@link UsageRecorder#answers()}, {@link FailureRecorder#answers()}. */
    private final BooleanSupplier answers;
    private ScheduledFuture<?> schedule;
    private ScheduledExecutorService scheduler;
    private final AtomicBoolean soon = new AtomicBoolean();
    /** Periodic runs so far; written only by the periodic task, which never runs twice at once. */
    private volatile long ticks;
    /** Hand-overs in a row that the verifier did not take; written holding {@link #handingOver}. */
    private int failures;
    /** The tick before which no periodic hand-over is tried while the verifier gives no answer. */
    private volatile long retryAt;

    PeriodicHandOver(String what, BooleanSupplier answers) {
        this.what = what;
        this.answers = answers;
    }

    /** Hands over every interval on {@code scheduler}; {@code false} when there is none or it refused the task. */
    public synchronized boolean start(ScheduledExecutorService scheduler) {
        if (scheduler == null) {
            return false;
        }
        try {
            schedule = scheduler.scheduleWithFixedDelay(this::tick, INTERVAL_MILLIS, INTERVAL_MILLIS,
                    TimeUnit.MILLISECONDS);
            this.scheduler = scheduler;
            return true;
        } catch (RejectedExecutionException e) {
            LOG.info("Keygate cannot schedule the hand-over of " + what + ": the scheduler refused the task");
            return false;
        }
    }

    /** The periodic run: a hand-over, unless it is backing off. */
    private void tick() {
        ticks++;
        if (!backingOff()) {
            handOver();
        }
    }

    /** Whether the verifier gives no answer and the pause after the last hand-over it did not take is not over. */
    private boolean backingOff() {
        return ticks < retryAt && !answers.getAsBoolean();
    }

    /** Asks for a hand-over on the scheduler now rather than at the next interval; not on the caller's thread. */
    void handOverSoon() {
        ScheduledExecutorService current;
        synchronized (this) {
            current = scheduler;
        }
        if (current != null && !backingOff() && soon.compareAndSet(false, true)) {
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
            boolean taken = false;
            try {
                taken = send(false);
            } catch (RuntimeException e) {
                LOG.warning("Keygate could not hand " + what + " over, they are kept: " + e.getClass().getName());
            } finally {
                if (taken) {
                    failures = 0;
                    retryAt = 0;
                } else {
                    failures = Math.min(failures + 1, Long.SIZE - 2);
                    retryAt = ticks + Math.min(1L << (failures - 1), MAX_BACKOFF_TICKS);
                }
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
            if (!send(true)) {
                lostAtClose();
            }
        } catch (RuntimeException e) {
            LOG.warning("Keygate could not hand over the last " + what + ": " + e.getClass().getName());
        } finally {
            handingOver.unlock();
        }
    }

    /**
     * Hands over everything counted; called holding {@link #handingOver}. Whether the verifier took it all.
     *
     * @param last whether this is the last hand-over, the WAR being undeployed
     */
    abstract boolean send(boolean last);

    /** The last hand-over failed: log, by number, what is lost. Called holding {@link #handingOver}. */
    abstract void lostAtClose();
}
