package io.keygate.server;

import jakarta.annotation.PostConstruct;
import jakarta.annotation.Resource;
import jakarta.enterprise.concurrent.ManagedThreadFactory;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;

/**
 * The scheduler of {@code keygate.war}'s periodic jobs (counted uses, failure summaries, the purge, the exchange of
 * counts and the database engine's polls), on threads of the server's default {@link ManagedThreadFactory}, so they
 * run with the application's context.
 *
 * <p>Why not the server's {@code ManagedScheduledExecutorService}: WildFly refuses every task of it that falls due
 * while the server is suspended, which it is for a moment at every stop, and logs an error with a stack trace for
 * each (the counts are exchanged every 25 ms). {@code keygate.war} owns these threads and stops them itself
 * ({@link ServerLifecycle#stop}), after the last counts are written.
 */
@ApplicationScoped
public class BackgroundJobs {

    /** Two: a slow store query of one job does not hold up the exchange of counts every 25 ms. */
    private static final int THREADS = 2;

    @Resource
    private ManagedThreadFactory threads;

    private ScheduledExecutorService scheduler;

    @PostConstruct
    void create() {
        scheduler = Executors.newScheduledThreadPool(THREADS, threads);
    }

    /** The one scheduler, the plain object. */
    public ScheduledExecutorService scheduler() {
        return scheduler;
    }

    /** Cancels the periodic jobs and lets the threads end; never waits. */
    void shutdown() {
        scheduler.shutdownNow();
    }
}
