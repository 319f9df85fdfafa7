package io.keygate.server;

import io.keygate.config.ConfigLookup;
import io.keygate.limits.CountBoard;
import io.keygate.limits.ThrottleSettings;
import io.keygate.server.access.ClientThrottle;
import io.keygate.server.cluster.ClusterSettings;
import io.keygate.server.store.StoreSettings;
import io.keygate.transport.TransportSecurity;
import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Inject;
import jakarta.servlet.ServletException;

/**
 * What {@code keygate.war} reads from its configuration, read once at start-up ({@link ServerLifecycle} asks for it
 * at deployment) and handed to whoever injects it; a bad value of any key fails the deployment.
 *
 * <ul>
 * <li>{@link TransportSecurity}: the keys of a protected WAR, which {@code keygate.war} obeys too
 * ({@code keygate.require-https}, {@code keygate.allow-loopback-http}, {@code keygate.trusted-proxies});</li>
 * <li>{@link ClientThrottle}: the brute-force throttle of every endpoint that takes a credential
 * ({@code keygate.throttle.*});</li>
 * <li>{@link StoreSettings}: where the tokens are stored ({@code keygate.db.*}, {@code keygate.datasource});</li>
 * <li>{@link ClusterSettings}: how changes reach the other servers ({@code keygate.cluster.*});</li>
 * <li>{@link ConfigLookup} itself, for the one key read elsewhere ({@code keygate.admin-token}).</li>
 * </ul>
 */
@ApplicationScoped
public class ServerConfiguration {

    /** Where the throttle counts, with every WAR's filter. */
    @Inject
    private CountBoard board;

    private ConfigLookup config;
    private TransportSecurity transport;
    private ClientThrottle throttle;
    private StoreSettings store;
    private ClusterSettings cluster;

    @PostConstruct
    void read() {
        config = ConfigLookup.of(ServerConfiguration.class.getClassLoader(), null);
        try {
            transport = TransportSecurity.read(config);
            throttle = new ClientThrottle(ThrottleSettings.read(config), board, System::currentTimeMillis);
            cluster = ClusterSettings.read(config);
        } catch (ServletException e) {
            throw new IllegalArgumentException(e.getMessage(), e);
        }
        store = StoreSettings.from(config::get);
    }

    @Produces
    ConfigLookup config() {
        return config;
    }

    @Produces
    TransportSecurity transport() {
        return transport;
    }

    /** One throttle for the whole of {@code keygate.war}: per client address, and per client id. */
    @Produces
    ClientThrottle throttle() {
        return throttle;
    }

    @Produces
    StoreSettings storeSettings() {
        return store;
    }

    @Produces
    ClusterSettings clusterSettings() {
        return cluster;
    }
}
