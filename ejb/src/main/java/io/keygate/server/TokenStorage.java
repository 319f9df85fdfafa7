package io.keygate.server;

import io.keygate.server.audit.AuditTrail;
import io.keygate.server.audit.FailureSummaries;
import io.keygate.server.store.AccessTokens;
import io.keygate.server.store.AuditStore;
import io.keygate.server.store.BootstrapAdmins;
import io.keygate.server.store.Database;
import io.keygate.server.store.LiveTokens;
import io.keygate.server.store.StoreSettings;
import io.keygate.server.store.TenantStore;
import io.keygate.server.store.TokenStore;
import io.keygate.server.store.UsageWrites;
import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Inject;
import java.time.Clock;
import java.time.ZoneOffset;
import java.util.logging.Logger;

/**
 * The store of {@code keygate.war}, connected once when first asked for, and its views: tenants, tokens, access
 * tokens, the bootstrap admin, the audit log and the audit trail that writes to it, with the failure summaries that
 * the trail is fed from. Each is produced as the one plain object this bean holds, so that whoever injects it (the
 * EJB, a servlet, a resource) holds the object itself and never a proxy: {@link ServerLifecycle} closes the store
 * last of all, whichever bean the container destroys first.
 */
@ApplicationScoped
public class TokenStorage {

    private static final Logger LOG = Logger.getLogger(TokenStorage.class.getName());

    @Inject
    private StoreSettings settings;

    private Database database;
    private TenantStore tenants;
    private TokenStore tokens;
    private UsageWrites usage;
    private LiveTokens liveTokens;
    private AccessTokens accessTokens;
    private BootstrapAdmins bootstrapAdmins;
    private AuditStore auditLog;
    private AuditTrail audit;
    private FailureSummaries failures;

    @PostConstruct
    void connect() {
        database = new Database(settings);
        Clock clock = Clock.tickMillis(ZoneOffset.UTC); // the store keeps milliseconds
        tenants = new TenantStore(database, clock);
        tokens = new TokenStore(database, clock);
        usage = new UsageWrites(database);
        liveTokens = new LiveTokens(database, clock);
        accessTokens = new AccessTokens(database, clock);
        bootstrapAdmins = new BootstrapAdmins(database, clock);
        auditLog = new AuditStore(database);
        audit = new AuditTrail(auditLog, clock);
        failures = new FailureSummaries(audit, auditLog, clock);
        database.connect();
        LOG.info(() -> "Keygate is storing tokens in " + database.description());
    }

    @Produces
    Database database() {
        return database;
    }

    @Produces
    TenantStore tenants() {
        return tenants;
    }

    @Produces
    TokenStore tokens() {
        return tokens;
    }

    /** Where the uses counted by the filters are written. */
    @Produces
    UsageWrites usage() {
        return usage;
    }

    /** How many tokens of each tenant work now, for the metrics. */
    @Produces
    LiveTokens liveTokens() {
        return liveTokens;
    }

    /** The access tokens issued at {@code /keygate/oauth2/token}. */
    @Produces
    AccessTokens accessTokens() {
        return accessTokens;
    }

    @Produces
    BootstrapAdmins bootstrapAdmins() {
        return bootstrapAdmins;
    }

    @Produces
    AuditStore auditLog() {
        return auditLog;
    }

    @Produces
    AuditTrail audit() {
        return audit;
    }

    /** Failed authentications, at {@code keygate.war} and reported by filters, summarised into the audit log. */
    @Produces
    FailureSummaries failures() {
        return failures;
    }
}
