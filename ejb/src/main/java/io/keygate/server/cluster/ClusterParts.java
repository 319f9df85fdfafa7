package io.keygate.server.cluster;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;

/** The one {@link ClusterChannel} of this {@code keygate.war}, produced as a plain object. */
@ApplicationScoped
public class ClusterParts {

    private final ClusterChannel channel = new SoloChannel();

    @Produces
    ClusterChannel channel() {
        return channel;
    }
}
