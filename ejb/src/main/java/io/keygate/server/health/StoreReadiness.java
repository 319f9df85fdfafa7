package io.keygate.server.health;

import io.keygate.server.store.Database;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.function.LongSupplier;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

/**
 * Readiness check {@value #NAME} at the server's {@code /health/ready}: DOWN while the token store does not answer,
 * since every request that needs it then gets 503, and UP again once it does, without a restart.
 *
 * <p>A load balancer or an orchestrator may poll this often, from several places at once: the store is asked at
 * most once per {@link #MAX_AGE} ({@link Database#ping}, a trivial query with a short timeout), and every poll in
 * between gets the last answer. Only on servers that offer MicroProfile Health (see {@link KeygateLiveness}).
 */
@Readiness
@ApplicationScoped
public class StoreReadiness implements HealthCheck {

    /** The check's name in the server's health answer. */
    public static final String NAME = "keygate-store";
    /** How old an answer may be before the store is asked again. */
    static final Duration MAX_AGE = Duration.ofSeconds(1);
    /** How long the store may take to answer the trivial query before it counts as down. */
    static final Duration QUERY_TIMEOUT = Duration.ofSeconds(2);

    private static final Logger LOG = Logger.getLogger(StoreReadiness.class.getName());

    @Inject
    private Database database;

    private final LongSupplier nanoTime;
    /** The last answer and when it was asked for ({@link System#nanoTime()}); guarded by {@code this}. */
    private boolean answered;
    private long askedAt;
    private boolean hasAsked;

    public StoreReadiness() {
        this(null, System::nanoTime);
    }

    /** For tests: a store and a clock of their own. */
    StoreReadiness(Database database, LongSupplier nanoTime) {
        this.database = database;
        this.nanoTime = nanoTime;
    }

    @Override
    public HealthCheckResponse call() {
        // The constructor, not the builder: the builder needs the server's provider, which tests do not have.
        return answers()
                ? new HealthCheckResponse(NAME, HealthCheckResponse.Status.UP, Optional.empty())
                : new HealthCheckResponse(NAME, HealthCheckResponse.Status.DOWN,
                        Optional.of(Map.of("reason", "the token store does not answer")));
    }

    /** Whether the store answered at most {@link #MAX_AGE} ago; asks it when the last answer is older. */
    synchronized boolean answers() {
        long now = nanoTime.getAsLong();
        if (hasAsked && now - askedAt < MAX_AGE.toNanos()) {
            return answered;
        }
        try {
            database.ping(QUERY_TIMEOUT);
            answered = true;
        } catch (RuntimeException e) {
            // The store logs an outage itself, once (StoreOutage); the check only says so.
            LOG.log(Level.FINE, "The token store does not answer the readiness check", e);
            answered = false;
        }
        askedAt = nanoTime.getAsLong();
        hasAsked = true;
        return answered;
    }
}
