package io.keygate.server;

import io.keygate.config.ConfigLookup;
import io.keygate.server.store.Database;
import io.keygate.server.store.StoreSettings;
import io.keygate.server.store.TenantStore;
import io.keygate.server.store.TokenStore;
import io.keygate.server.usage.UsageCounter;
import jakarta.annotation.PostConstruct;
import jakarta.annotation.PreDestroy;
import jakarta.annotation.Resource;
import jakarta.enterprise.concurrent.ManagedScheduledExecutorService;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.context.Initialized;
import jakarta.enterprise.event.Observes;
import java.time.Clock;
import java.time.ZoneOffset;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.logging.Logger;

/**
 * Everything {@code keygate.war} holds for its lifetime: the store, read from configuration once at start-up,
 * and the usage counter with its periodic write.
 *
 * <p>Shutdown order matters and is kept here: stop the timer, write the last counts, then close the store.
 * So an undeploy or a clean server stop loses no count.
 */
@ApplicationScoped
public class KeygateRuntime {

    /** How often counted uses are written: well inside the 5 seconds SPEC allows a listing to lag. */
    static final long USAGE_FLUSH_SECONDS = 2;

    private static final Logger LOG = Logger.getLogger(KeygateRuntime.class.getName());

    @Resource
    private ManagedScheduledExecutorService scheduler;

    private ConfigLookup config;
    private Database database;
    private TenantStore tenants;
    private TokenStore tokens;
    private final UsageCounter usage = new UsageCounter();
    private ScheduledFuture<?> usageFlush;

    @PostConstruct
    void start() {
        config = ConfigLookup.of(KeygateRuntime.class.getClassLoader(), null);
        StoreSettings settings = StoreSettings.from(config::get);
        database = new Database(settings);
        Clock clock = Clock.tickMillis(ZoneOffset.UTC); // the store keeps milliseconds
        tenants = new TenantStore(database, clock);
        tokens = new TokenStore(database, clock);
        database.connect();
        new AdminBootstrap(tokens, config::get).run();
        usageFlush = scheduler.scheduleWithFixedDelay(() -> usage.flushTo(tokens::addUsage),
                USAGE_FLUSH_SECONDS, USAGE_FLUSH_SECONDS, TimeUnit.SECONDS);
        LOG.info(() -> "Keygate is storing tokens in " + database.description());
    }

    /** Starts at deployment rather than on first use, so bad configuration fails the deployment. */
    void startAtDeployment(@Observes @Initialized(ApplicationScoped.class) Object event) {
        // Being notified creates this bean, which runs start().
    }

    @PreDestroy
    void stop() {
        if (usageFlush != null) {
            usageFlush.cancel(false);
        }
        usage.flushTo(tokens::addUsage);
        database.close();
    }

    public TenantStore tenants() {
        return tenants;
    }

    public TokenStore tokens() {
        return tokens;
    }

    public UsageCounter usage() {
        return usage;
    }
}
