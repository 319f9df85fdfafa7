package io.keygate.server;

import io.keygate.limits.CountBoard;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;

/**
 * The server's one {@link CountBoard}, produced as a plain object: the verifier hands it to every filter
 * ({@code limits()}), {@code keygate.war}'s own endpoints count on it ({@code TokenLimitsGate}, {@code ClientThrottle}),
 * and {@code ClusterCounts} exchanges it with the other servers. A bean of its own, depending on nothing, so that the
 * configuration can take it without waiting for the store.
 */
@ApplicationScoped
public class CountParts {

    private final CountBoard board = new CountBoard();

    @Produces
    CountBoard board() {
        return board;
    }
}
