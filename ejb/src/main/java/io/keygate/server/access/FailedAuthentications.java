package io.keygate.server.access;

import io.keygate.server.audit.FailureSummaries;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.OptionalLong;

/**
 * Failed authentications at {@code keygate.war}'s endpoints, counted once for the two that read them: the
 * brute-force {@link ClientThrottle} (per client address, and per client id at the token endpoint) and, for the
 * audit log, the {@link FailureSummaries}, which keep only the listing prefix of what was presented.
 */
@ApplicationScoped
public class FailedAuthentications {

    @Inject
    private ClientThrottle throttle;

    @Inject
    private FailureSummaries failures;

    /** Seconds {@code client} must wait after failing too often; empty when it may try. */
    public OptionalLong retryAfter(ClientAddress client) {
        return throttle.retryAfter(client);
    }

    /** Seconds {@code client} must wait, for its own failures or those that named {@code clientId}. */
    public OptionalLong retryAfter(ClientAddress client, String clientId) {
        return throttle.retryAfter(client, clientId);
    }

    /**
     * A failed authentication of {@code client} ({@code clientId} at the token endpoint, else {@code null}), with
     * {@code presented} (or {@code null}), of which the audit log keeps the listing prefix only.
     */
    public void failed(ClientAddress client, String clientId, String presented) {
        throttle.failed(client, clientId);
        failures.failed(null, presented, client.key());
    }

    /**
     * A valid token of {@code tenant} used from an address its allowlist refuses: for the audit log only, as in the
     * filter, since the token itself is valid.
     */
    public void addressRefused(String tenant, String presented, ClientAddress client) {
        failures.failed(tenant, presented, client.key());
    }

    /** {@code clientId} authenticated from {@code client}: its lock no longer applies to that address. */
    public void succeeded(ClientAddress client, String clientId) {
        throttle.succeeded(client, clientId);
    }
}
