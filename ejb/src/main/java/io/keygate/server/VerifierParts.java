package io.keygate.server;

import io.keygate.limits.CountBoard;
import io.keygate.server.access.TokenLimitsGate;
import io.keygate.server.audit.FailureSummaries;
import io.keygate.server.metrics.ServerMetrics;
import io.keygate.server.store.TokenStore;
import io.keygate.server.usage.UsageCounter;
import io.keygate.server.verify.ChangeLog;
import io.keygate.server.verify.VerifierFunctions;
import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Inject;

/**
 * What {@code keygate.war} holds in memory and shares between its endpoints, one of each, produced as plain objects
 * (as {@link TokenStorage} produces the store):
 *
 * <ul>
 * <li>{@link ChangeLog}: the changes that can take rights away from a token, which every filter's cache follows;</li>
 * <li>{@link UsageCounter}: counted uses, written to the store every few seconds;</li>
 * <li>{@link TokenLimitsGate}: every token's {@code allowedAddresses} and {@code rateLimit}, one count per token for
 * all endpoints, on the server's {@link CountBoard} (so with the filters of every WAR);</li>
 * <li>{@link ServerMetrics}: what every WAR's filter counts for the metrics, and the durations measured;</li>
 * <li>{@link VerifierFunctions}: the verifier protocol's functions, for the EJB, its HTTP binding and the
 * statistics.</li>
 * </ul>
 */
@ApplicationScoped
public class VerifierParts {

    @Inject
    private TokenStore tokens;

    @Inject
    private FailureSummaries failures;

    @Inject
    private CountBoard board;

    private final ChangeLog changes = new ChangeLog(ChangeLog.CAPACITY);
    private final UsageCounter usage = new UsageCounter();
    private final ServerMetrics metrics = new ServerMetrics();
    private TokenLimitsGate limits;
    private VerifierFunctions functions;

    @PostConstruct
    void create() {
        limits = new TokenLimitsGate(board, System::currentTimeMillis);
        functions = new VerifierFunctions(tokens::verify, changes, usage, failures, board, metrics);
    }

    @Produces
    ChangeLog changes() {
        return changes;
    }

    @Produces
    UsageCounter usage() {
        return usage;
    }

    @Produces
    ServerMetrics metrics() {
        return metrics;
    }

    @Produces
    TokenLimitsGate limits() {
        return limits;
    }

    @Produces
    VerifierFunctions functions() {
        return functions;
    }
}
