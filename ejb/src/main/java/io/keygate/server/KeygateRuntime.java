package io.keygate.server;

import io.keygate.config.ConfigLookup;
import io.keygate.limits.ThrottleSettings;
import io.keygate.transport.TransportSecurity;
import io.keygate.server.access.ClientAddress;
import io.keygate.server.access.ClientThrottle;
import io.keygate.server.access.TokenLimitsGate;
import io.keygate.server.audit.AuditTrail;
import io.keygate.server.audit.FailureSummaries;
import io.keygate.server.store.AccessTokens;
import io.keygate.server.store.AuditStore;
import io.keygate.server.store.BootstrapAdmins;
import io.keygate.server.store.Database;
import io.keygate.server.store.StoreSettings;
import io.keygate.server.store.TenantStore;
import io.keygate.server.store.TokenStore;
import io.keygate.server.usage.UsageCounter;
import io.keygate.server.verify.ChangeLog;
import io.keygate.server.verify.VerifierFunctions;
import jakarta.annotation.PostConstruct;
import jakarta.annotation.PreDestroy;
import jakarta.annotation.Resource;
import jakarta.enterprise.concurrent.ManagedScheduledExecutorService;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.context.Initialized;
import jakarta.enterprise.event.Observes;
import jakarta.servlet.ServletException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.logging.Logger;

/**
 * Everything {@code keygate.war} holds for its lifetime: the store, read from configuration once at start-up,
 * and the usage counter with its periodic write; the transport rules of its own endpoints (the keys of a protected
 * WAR: {@code keygate.require-https}, {@code keygate.allow-loopback-http}, {@code keygate.trusted-proxies}), the
 * brute-force throttle of the token endpoints ({@code keygate.throttle.*}) and the one per-token rate limiter its
 * endpoints share. A bad value of any of these keys fails the deployment.
 *
 * <p>Shutdown order matters and is kept here: stop the timer, write the last counts, then close the store.
 * So an undeploy or a clean server stop loses no count.
 */
@ApplicationScoped
public class KeygateRuntime {

    /** How often counted uses are written: well inside the 5 seconds a listing may lag (README). */
    static final long USAGE_FLUSH_SECONDS = 2;

    /**
     * How often failed authentications (at {@code keygate.war} and reported by filters) are summarised into the
     * audit log: one row per key and period.
     */
    static final long FAILURE_SUMMARY_SECONDS = 60;

    /** Expired access tokens are kept this long (visible under their secret), then deleted, once an hour. */
    static final Duration ACCESS_TOKEN_RETENTION = Duration.ofDays(7);

    private static final Logger LOG = Logger.getLogger(KeygateRuntime.class.getName());

    @Resource
    private ManagedScheduledExecutorService scheduler;

    private ConfigLookup config;
    private Database database;
    private TenantStore tenants;
    private TokenStore tokens;
    private AccessTokens accessTokens;
    private final UsageCounter usage = new UsageCounter();
    private final ChangeLog changes = new ChangeLog(ChangeLog.CAPACITY);
    private VerifierFunctions functions;
    private ScheduledFuture<?> usageFlush;
    private AuditStore auditLog;
    private AuditTrail audit;
    private FailureSummaries failures;
    private ScheduledFuture<?> failureFlush;
    private ScheduledFuture<?> accessTokenPurge;
    private TransportSecurity transport;
    private ClientThrottle throttle;
    private final TokenLimitsGate limits = new TokenLimitsGate(System::nanoTime);

    @PostConstruct
    void start() {
        config = ConfigLookup.of(KeygateRuntime.class.getClassLoader(), null);
        try {
            // The keys and defaults of a protected WAR: keygate.war obeys them too.
            transport = TransportSecurity.read(config);
            throttle = new ClientThrottle(ThrottleSettings.read(config), System::nanoTime);
        } catch (ServletException e) {
            throw new IllegalArgumentException(e.getMessage(), e);
        }
        StoreSettings settings = StoreSettings.from(config::get);
        database = new Database(settings);
        Clock clock = Clock.tickMillis(ZoneOffset.UTC); // the store keeps milliseconds
        tenants = new TenantStore(database, clock);
        tokens = new TokenStore(database, clock);
        accessTokens = new AccessTokens(database, clock);
        auditLog = new AuditStore(database);
        audit = new AuditTrail(auditLog, clock);
        failures = new FailureSummaries(audit, auditLog, clock);
        functions = new VerifierFunctions(tokens::verify, changes, usage, failures);
        database.connect();
        new AdminBootstrap(new BootstrapAdmins(database, clock), tokens, config::get, changes::tokenChanged, audit)
                .run();
        usageFlush = scheduler.scheduleWithFixedDelay(() -> usage.flushTo(tokens::addUsage),
                USAGE_FLUSH_SECONDS, USAGE_FLUSH_SECONDS, TimeUnit.SECONDS);
        failureFlush = scheduler.scheduleWithFixedDelay(failures::flush,
                FAILURE_SUMMARY_SECONDS, FAILURE_SUMMARY_SECONDS, TimeUnit.SECONDS);
        accessTokenPurge = scheduler.scheduleWithFixedDelay(this::purgeAccessTokens, 1, 60, TimeUnit.MINUTES);
        LOG.info(() -> "Keygate is storing tokens in " + database.description());
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

    /** Starts at deployment rather than on first use, so bad configuration fails the deployment. */
    void startAtDeployment(@Observes @Initialized(ApplicationScoped.class) Object event) {
        // Being notified creates this bean, which runs start().
    }

    @PreDestroy
    void stop() {
        // First, so that no filter serves a cached verdict while keygate.war is going away.
        changes.retire();
        if (usageFlush != null) {
            usageFlush.cancel(false);
        }
        if (failureFlush != null) {
            failureFlush.cancel(false);
        }
        if (accessTokenPurge != null) {
            accessTokenPurge.cancel(false);
        }
        if (database == null) {
            return; // start() failed: nothing to write or close
        }
        try {
            // The filters of other WARs may not get to hand their last counts over once the verifier is gone.
            functions.takeUsageFromFilters();
            usage.close(tokens::addUsage);
            failures.close();
        } finally {
            // Always: a factory left open keeps the provider's session, and a redeployed keygate.war would get it.
            database.close();
        }
    }

    public TenantStore tenants() {
        return tenants;
    }

    public TokenStore tokens() {
        return tokens;
    }

    /** The access tokens issued at {@code /keygate/oauth2/token}. */
    public AccessTokens accessTokens() {
        return accessTokens;
    }

    public UsageCounter usage() {
        return usage;
    }

    /** Changes that can take rights away from a token, which every filter's cache follows. */
    public ChangeLog changes() {
        return changes;
    }

    /** The verifier protocol's functions, for {@code TokenVerifier} and the statistics. */
    public VerifierFunctions functions() {
        return functions;
    }

    public AuditStore auditLog() {
        return auditLog;
    }

    public AuditTrail audit() {
        return audit;
    }

    public FailureSummaries failures() {
        return failures;
    }

    /** {@code keygate.require-https}, {@code keygate.allow-loopback-http}, {@code keygate.trusted-proxies}. */
    public TransportSecurity transport() {
        return transport;
    }

    /** Every token's {@code allowedAddresses} and {@code rateLimit}, one count per token for all endpoints. */
    public TokenLimitsGate limits() {
        return limits;
    }

    /**
     * A failed authentication at an endpoint of {@code keygate.war}: counted by the brute-force {@link #throttle()}
     * against the client address (and {@code clientId} at the token endpoint, else {@code null}), and for the audit
     * log's failure summaries, which keep only the listing prefix of {@code presented} (or nothing).
     */
    public void authenticationFailed(ClientAddress client, String clientId, String presented) {
        throttle.failed(client, clientId);
        failures.failed(null, presented, client.key());
    }

    /**
     * The brute-force throttle of every endpoint that takes a credential: per client address, and per client id at
     * the token endpoint.
     */
    public ClientThrottle throttle() {
        return throttle;
    }
}
