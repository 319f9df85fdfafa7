package io.keygate.server.health;

import jakarta.enterprise.context.ApplicationScoped;
import java.util.Optional;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Liveness;

/**
 * Liveness check {@value #NAME} at the server's {@code /health/live}: UP while {@code keygate.war} is deployed.
 * Deliberately nothing more: a store outage is not a reason to restart the server (the store comes back by itself,
 * {@link StoreReadiness} says when), and a restart would drop every filter's cached verdicts.
 *
 * <p>Only on servers that offer MicroProfile Health: elsewhere {@code beans.xml} leaves this package out of bean
 * discovery, so {@code keygate.war} deploys without it and without a warning.
 */
@Liveness
@ApplicationScoped
public class KeygateLiveness implements HealthCheck {

    /** The check's name in the server's health answer. */
    public static final String NAME = "keygate";

    @Override
    public HealthCheckResponse call() {
        return new HealthCheckResponse(NAME, HealthCheckResponse.Status.UP, Optional.empty());
    }
}
