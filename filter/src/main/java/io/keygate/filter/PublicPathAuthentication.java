package io.keygate.filter;

import io.keygate.bearer.BearerResolution;
import io.keygate.bearer.BearerTokenResolver;
import io.keygate.filter.handover.FailureTally;
import io.keygate.metrics.Outcome;
import io.keygate.token.TokenFormat;
import jakarta.servlet.http.HttpServletRequest;
import java.net.InetAddress;
import java.util.Optional;

/**
 * A request to a public path: authenticated when it carries a valid token, never refused. A presented credential is
 * throttled and counted as on a protected path: a throttled client is left anonymous without a verifier call, and each
 * failure counts towards the throttle and the audit log (OWASP API4:2023), so a public path is no free oracle for
 * guessed tokens. A valid token meets its own limits as on a protected path: used from outside its address allowlist
 * or beyond its rate limit (one request of it spent, as there), it leaves the request anonymous instead of refusing
 * it, so a public path never fails because of Keygate and never serves a token more than its limit. A request without
 * credentials costs nothing of this, and is not counted in the metrics; one with credentials is, by how it ended.
 */
final class PublicPathAuthentication {

    private final BearerTokenResolver resolver;

    PublicPathAuthentication(BearerTokenResolver resolver) {
        this.resolver = resolver;
    }

    /**
     * The request, authenticated when it carries a valid token within its limits.
     *
     * @param client the client address if the transport check worked it out, else {@code null}
     */
    HttpServletRequest authenticate(FilterParts parts, HttpServletRequest request, Optional<InetAddress> client) {
        BearerResolution resolution = resolver.resolve(request);
        if (resolution instanceof BearerResolution.Absent) {
            return request;
        }
        RequestLimits limits = parts.limits();
        String presented = resolution instanceof BearerResolution.Token token ? token.value() : null;
        if (limits.mayThrottle()) {
            client = limits.client(request, client);
            Admission throttled = limits.throttled(client, presented);
            if (!throttled.admitted()) {
                parts.count(throttled.outcome());
                return request;
            }
        }
        if (presented == null || !TokenFormat.isWellFormed(presented)) {
            parts.count(Outcome.INVALID);
            limits.failed(limits.client(request, client), presented,
                    presented == null ? FailureTally.Reason.MALFORMED : FailureTally.Reason.CHECKSUM);
            return request;
        }
        VerificationResult result = parts.verdict(presented);
        if (result instanceof VerificationResult.Valid valid) {
            Admission admission = limits.admit(valid.token(), presented, request, client);
            parts.count(admission.outcome());
            return admission.admitted() ? AuthenticatedRequest.authenticate(request, valid) : request;
        }
        parts.count(result.outcome());
        if (!(result instanceof VerificationResult.Unavailable)) { // no verdict is no failure
            limits.failed(limits.client(request, client), presented, result.failureReason());
        }
        return request;
    }
}
