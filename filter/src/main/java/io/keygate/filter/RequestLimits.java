package io.keygate.filter;


import io.keygate.bearer.BearerErrors;
import io.keygate.limits.FailureThrottle;
import io.keygate.limits.ThrottleSettings;
import io.keygate.limits.TokenRateLimiter;
import io.keygate.transport.TransportSecurity;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.net.InetAddress;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.function.LongSupplier;

/**
 * The limits a request meets besides its token's validity: the brute-force throttle per client address
 * ({@link FailureThrottle}) and the token's own address allowlist and request rate ({@link TokenRateLimiter}).
 * The client address is the one {@link TransportSecurity} decides, so the trusted-proxy rule applies.
 *
 * <p>Public paths meet the same throttle, counts and token limits as protected ones, without ever failing: there a
 * throttled client, a token used from outside its allowlist or beyond its rate is left anonymous, and a failure only
 * counts.
 *
 * <p>Every refusal that is a failed authentication (counted against the client by {@link #failed}, throttled, or a
 * valid token used from an address it is not allowed from) is also counted, under the same client address, in the
 * {@link FailureTally} that feeds the audit log. A per-token rate limit or a missing scope is not a failed
 * authentication and is not counted.
 */
final class RequestLimits {

    /** Where the client address is unknown (a trusted proxy forwarded garbage): all such clients share a key. */
    static final String UNKNOWN_CLIENT = "unknown";

    private final TransportSecurity transport;
    private final FailureThrottle throttle;
    private final TokenRateLimiter rates;
    private final FailureTally failures;

    RequestLimits(TransportSecurity transport, ThrottleSettings settings, LongSupplier nanoClock,
            FailureTally failures) {
        this.transport = transport;
        this.throttle = new FailureThrottle(settings.maxFailures(), settings.window(), nanoClock);
        this.rates = new TokenRateLimiter(nanoClock);
        this.failures = failures;
    }

    /**
     * Seconds this client must wait after too many failures, or empty; a throttled request is counted as a failure.
     *
     * @param presented the bearer token presented, or {@code null}; only its prefix is counted
     */
    OptionalLong throttled(HttpServletRequest request, String presented) {
        if (throttle.idle()) {
            return OptionalLong.empty();
        }
        String client = key(transport.clientAddress(request));
        OptionalLong wait = throttle.retryAfter(client);
        if (wait.isPresent()) {
            failures.count(presented, client, FailureTally.Reason.THROTTLED, null);
        }
        return wait;
    }

    /**
     * Counts a failed authentication of this client, for the throttle and the audit log.
     *
     * @param presented the bearer token presented, or {@code null}; only its prefix is counted
     */
    void failed(HttpServletRequest request, String presented, FailureTally.Reason reason) {
        String client = key(transport.clientAddress(request));
        throttle.failed(client);
        failures.count(presented, client, reason, null);
    }

    /**
     * Whether the valid {@code token} may be used for this request; otherwise the refusal is written.
     *
     * @param presented the bearer token itself; only its prefix is counted when it is refused for its address
     */
    boolean admit(HttpServletRequest request, HttpServletResponse response, VerifiedToken token, String presented,
            ErrorResponseWriter errors) throws IOException {
        if (!fromAllowedAddress(request, token, presented)) {
            errors.write(response, BearerErrors.ADDRESS_NOT_ALLOWED_ERROR);
            return false;
        }
        VerifiedToken.RateLimit limit = token.rateLimit();
        if (limit == null) {
            return true;
        }
        TokenRateLimiter.Decision decision = rates.acquire(token.rateLimitKey(), limit.requests(),
                limit.windowSeconds());
        Map<String, String> headers = Map.of(
                "RateLimit-Limit", Long.toString(decision.limit()),
                "RateLimit-Remaining", Long.toString(decision.remaining()),
                "RateLimit-Reset", Long.toString(decision.resetSeconds()));
        if (!decision.allowed()) {
            Map<String, String> refused = new java.util.HashMap<>(headers);
            refused.put(ErrorResponseWriter.RETRY_AFTER, Long.toString(decision.resetSeconds()));
            errors.write(response, BearerErrors.RATE_LIMITED_ERROR, refused);
            return false;
        }
        headers.forEach(response::setHeader);
        return true;
    }

    /**
     * Spends one request of the valid {@code token}'s rate limit (its secret's, for an access token:
     * {@link VerifiedToken#rateLimitKey()}); whether it was within the limit. For a public path, where a request
     * beyond the limit is served anonymously rather than refused: writes nothing, and a token without a limit costs
     * nothing (no allocation, no lock).
     */
    boolean withinRate(VerifiedToken token) {
        VerifiedToken.RateLimit limit = token.rateLimit();
        return limit == null || rates.acquire(token.rateLimitKey(), limit.requests(), limit.windowSeconds()).allowed();
    }

    /**
     * Whether the valid {@code token} may be used from this request's client; a refusal is counted for the audit
     * log (not for the throttle: the token itself is valid).
     *
     * @param presented the bearer token itself; only its prefix is counted when it is refused for its address
     */
    boolean fromAllowedAddress(HttpServletRequest request, VerifiedToken token, String presented) {
        if (token.allowedAddresses() == null) {
            return true;
        }
        Optional<InetAddress> client = transport.clientAddress(request);
        if (token.allowsClient(client)) {
            return true;
        }
        failures.count(presented, key(client), FailureTally.Reason.ADDRESS, token.tenant());
        return false;
    }

    private static String key(Optional<InetAddress> client) {
        return client.map(InetAddress::getHostAddress).orElse(UNKNOWN_CLIENT);
    }
}
