package io.keygate.server;

import io.keygate.config.ConfigLookup;
import io.keygate.limits.CountBoard;
import io.keygate.server.audit.AuditTrail;
import io.keygate.server.audit.FailureSummaries;
import io.keygate.server.cluster.ClusterChannel;
import io.keygate.server.cluster.ClusterCounts;
import io.keygate.server.cluster.ClusterParts;
import io.keygate.server.cluster.ClusterSettings;
import io.keygate.server.store.AccessTokens;
import io.keygate.server.store.BootstrapAdmins;
import io.keygate.server.store.Database;
import io.keygate.server.store.OwnJdbcDrivers;
import io.keygate.server.store.TokenStore;
import io.keygate.server.store.UsageWrites;
import io.keygate.server.usage.UsageCounter;
import io.keygate.server.verify.ChangeLog;
import io.keygate.server.verify.VerifierFunctions;
import jakarta.annotation.PostConstruct;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.context.Initialized;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.logging.Logger;

/**
 * Starts {@code keygate.war} at deployment and stops it in order. Starting at deployment rather than on first use
 * reads the configuration and connects the store then, so that bad configuration fails the deployment; then the first
 * global admin token is made sure of ({@link AdminBootstrap}) and the periodic jobs begin: counted uses, failure
 * summaries, the purge of long-expired access tokens, and the exchange of request and failure counts with the other
 * servers ({@link ClusterCounts}).
 *
 * <p>Shutdown order matters and is kept here: retire the change log (no filter may serve a cached verdict while
 * {@code keygate.war} goes away), stop the timers, take and write the last counts, close the channel to the other
 * servers ({@link ClusterParts}), then close the store. So an
 * undeploy or a clean server stop loses no count. Everything it stops is a plain object, not a proxy, so the order
 * holds whichever bean the container destroys first.
 */
@ApplicationScoped
public class ServerLifecycle {

    /** How often counted uses are written: well inside the 5 seconds a listing may lag (README). */
    static final long USAGE_FLUSH_SECONDS = 2;

    /**
     * How often failed authentications (at {@code keygate.war} and reported by filters) are summarised into the
     * audit log: one row per key and period.
     */
    static final long FAILURE_SUMMARY_SECONDS = 60;

    /** Expired access tokens are kept this long (visible under their secret), then deleted, once an hour. */
    static final Duration ACCESS_TOKEN_RETENTION = Duration.ofDays(7);

    private static final Logger LOG = Logger.getLogger(ServerLifecycle.class.getName());

    @Inject
    private BackgroundJobs jobs;

    @Inject
    private ConfigLookup config;

    @Inject
    private Database database;

    @Inject
    private BootstrapAdmins bootstrapAdmins;

    @Inject
    private TokenStore tokens;

    @Inject
    private UsageWrites usageWrites;

    @Inject
    private AccessTokens accessTokens;

    @Inject
    private AuditTrail audit;

    @Inject
    private FailureSummaries failures;

    @Inject
    private UsageCounter usage;

    @Inject
    private ChangeLog changes;

    @Inject
    private VerifierFunctions functions;

    @Inject
    private CountBoard board;

    @Inject
    private ClusterSettings clusterSettings;

    @Inject
    private ClusterParts cluster;

    /** The channel to the other servers, the plain object: closed in {@link #stop()}. */
    private ClusterChannel channel;

    private ClusterCounts counts;
    private ScheduledFuture<?> usageFlush;
    private ScheduledFuture<?> failureFlush;
    private ScheduledFuture<?> accessTokenPurge;

    @PostConstruct
    void start() {
        try {
            // After the store connected: the database engine reads its table. A bad engine fails the deployment.
            channel = cluster.channel();
            new AdminBootstrap(bootstrapAdmins, tokens, config::get, cluster.changes()::tokenChanged, audit).run();
        } catch (RuntimeException e) {
            if (channel != null) {
                channel.close();
            }
            jobs.shutdown();
            database.close(); // the deployment fails: a factory left open would keep the provider's session
            throw e;
        }
        ScheduledExecutorService scheduler = jobs.scheduler();
        usageFlush = scheduler.scheduleWithFixedDelay(() -> usage.flushTo(usageWrites::add),
                USAGE_FLUSH_SECONDS, USAGE_FLUSH_SECONDS, TimeUnit.SECONDS);
        failureFlush = scheduler.scheduleWithFixedDelay(failures::flush,
                FAILURE_SUMMARY_SECONDS, FAILURE_SUMMARY_SECONDS, TimeUnit.SECONDS);
        accessTokenPurge = scheduler.scheduleWithFixedDelay(this::purgeAccessTokens, 1, 60, TimeUnit.MINUTES);
        counts = new ClusterCounts(board, channel, System::currentTimeMillis);
        counts.start(scheduler, clusterSettings.countsMillis());
    }

    /** Being notified creates this bean, which runs {@link #start()}. */
    void startAtDeployment(@Observes @Initialized(ApplicationScoped.class) Object event) {
        // nothing else to do
    }

    /** Deletes access tokens expired for longer than {@link #ACCESS_TOKEN_RETENTION}; a failure waits an hour. */
    private void purgeAccessTokens() {
        try {
            int deleted = accessTokens.purgeExpiredAccessTokens(Instant.now().minus(ACCESS_TOKEN_RETENTION));
            if (deleted > 0) {
                LOG.info(() -> "Keygate deleted " + deleted + " access tokens expired for over "
                        + ACCESS_TOKEN_RETENTION.toDays() + " days");
            }
        } catch (RuntimeException e) {
            LOG.warning("Keygate could not delete expired access tokens, it tries again in an hour: " + e);
        }
    }

    @PreDestroy
    void stop() {
        changes.retire();
        usageFlush.cancel(false);
        failureFlush.cancel(false);
        accessTokenPurge.cancel(false);
        counts.stop();
        try {
            // The filters of other WARs may not get to hand their last counts over once the verifier is gone.
            functions.takeUsageFromFilters();
            usage.close(usageWrites::add);
            failures.close();
        } finally {
            // The channel reads and writes the store: closed before it, and after the log retired (whatever arrives
            // now is moot, every filter drops its cache).
            channel.close();
            jobs.shutdown();
            // Always: a factory left open keeps the provider's session, and a redeployed keygate.war would get it.
            database.close();
            OwnJdbcDrivers.deregister(ServerLifecycle.class.getClassLoader());
        }
    }
}
