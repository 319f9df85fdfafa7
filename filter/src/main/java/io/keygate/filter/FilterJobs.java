package io.keygate.filter;

import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The scheduler of the filter's periodic jobs (the usage and failure hand-overs, and in remote mode the polling of the
 * change generation), which the filter owns and stops itself in {@link FilterParts#close()}: on threads of the WAR's
 * {@value #THREAD_FACTORY}, so that the jobs run with the application's context, or, where the server offers none,
 * on daemon threads of the filter's own.
 *
 * <p>Why not the server's {@code ManagedScheduledExecutorService}: WildFly refuses every task of it that falls due
 * while the server is suspended, which it is for a moment at every stop, and logs an error for each
 * ({@code WFLYEE0110}); a filter that hands over every second met that at nearly every stop. {@code keygate.war}
 * runs its own jobs the same way, for the same reason.
 *
 * <p>Stopping never waits: {@link #stopScheduling()} lets a hand-over in progress finish while the filter makes its
 * last one, and {@link #stop()} then interrupts whatever still runs.
 */
final class FilterJobs {

    /** The default managed thread factory that every Jakarta EE 10 server provides to its applications. */
    static final String THREAD_FACTORY = "java:comp/DefaultManagedThreadFactory";

    /** Two: a hand-over that waits for the verifier does not hold up the other, nor remote polling. */
    static final int THREADS = 2;

    private static final AtomicInteger THREAD_NUMBER = new AtomicInteger();

    private final ScheduledExecutorService scheduler;

    private FilterJobs(ScheduledExecutorService scheduler) {
        this.scheduler = scheduler;
    }

    /**
     * Jobs on threads of {@code managed} (the WAR's managed thread factory), or on daemon threads of the filter's own
     * when it is {@code null}. The threads are made as the first jobs are scheduled, in {@code init()}, so that a
     * managed thread takes the WAR's context from there.
     */
    static FilterJobs on(ThreadFactory managed) {
        ThreadFactory threads = managed != null ? managed : task -> {
            Thread thread = new Thread(task, "keygate-filter-jobs-" + THREAD_NUMBER.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        };
        return new FilterJobs(Executors.newScheduledThreadPool(THREADS, threads));
    }

    /** The scheduler itself, for the jobs to schedule themselves on. */
    ScheduledExecutorService scheduler() {
        return scheduler;
    }

    /** No job runs again; one in progress may finish. Never waits. */
    void stopScheduling() {
        scheduler.shutdown();
    }

    /** Stops the threads, interrupting a job still in progress. Never waits. */
    void stop() {
        scheduler.shutdownNow();
    }
}
