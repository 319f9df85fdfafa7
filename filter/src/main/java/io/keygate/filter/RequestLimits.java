package io.keygate.filter;

import io.keygate.filter.handover.FailureTally;
import io.keygate.limits.CountBoard;
import io.keygate.limits.CurrentBoard;
import io.keygate.limits.FailureThrottle;
import io.keygate.limits.ThrottleSettings;
import io.keygate.limits.TokenRateLimiter;
import io.keygate.transport.TransportSecurity;
import jakarta.servlet.http.HttpServletRequest;
import java.net.InetAddress;
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
 *
 * <p>Both count on the server's {@link CountBoard} once the filter subscribed to the verifier, shared with every other
 * WAR of the server and {@code keygate.war} (which exchanges it with the other servers); until then, and without a
 * verifier in this JVM, on this WAR's own.
 *
 * <p>The limits decide and write nothing: each decision is an {@link Admission}, which {@link ErrorResponseWriter}
 * turns into the answer. They take the client address the filter worked out once for the request.
 */
final class RequestLimits {

    /** Where the client address is unknown (a trusted proxy forwarded garbage): all such clients share a key. */
    static final String UNKNOWN_CLIENT = "unknown";

    private final TransportSecurity transport;
    private final FailureThrottle throttle;
    private final TokenRateLimiter rates;
    private final FailureTally failures;

    /** @param clock epoch milliseconds: the board's windows are aligned to the epoch */
    RequestLimits(TransportSecurity transport, ThrottleSettings settings, CurrentBoard board, LongSupplier clock,
            FailureTally failures) {
        this.transport = transport;
        this.throttle = new FailureThrottle(settings.maxFailures(), settings.window(), "", board, clock);
        this.rates = new TokenRateLimiter(board, clock);
        this.failures = failures;
    }

    /**
     * The client address as {@link TransportSecurity} decides it: {@code known} when a step before worked it out,
     * otherwise now. The filter works it out once per request, and only when a step needs it.
     *
     * @param known the address a step before worked out, or {@code null}
     */
    Optional<InetAddress> client(HttpServletRequest request, Optional<InetAddress> known) {
        return known != null ? known : transport.clientAddress(request);
    }

    /**
     * Whether the brute-force throttle could hold a client back: when no client has failed in a live window it
     * cannot, and the filter skips working out the client address.
     */
    boolean mayThrottle() {
        return !throttle.idle();
    }

    /**
     * Whether this client may try, or the 429 it gets after too many failures (RFC 6585 section 4), with the seconds
     * it must wait; a throttled request is counted as a failure.
     *
     * @param presented the bearer token presented, or {@code null}; only its prefix is counted
     */
    Admission throttled(Optional<InetAddress> client, String presented) {
        if (throttle.idle()) {
            return Admission.ADMITTED;
        }
        String key = key(client);
        OptionalLong wait = throttle.retryAfter(key);
        if (wait.isEmpty()) {
            return Admission.ADMITTED;
        }
        failures.count(presented, key, FailureTally.Reason.THROTTLED, null);
        return Admission.throttled(wait.getAsLong());
    }

    /**
     * Counts a failed authentication of this client, for the throttle and the audit log.
     *
     * @param presented the bearer token presented, or {@code null}; only its prefix is counted
     */
    void failed(Optional<InetAddress> client, String presented, FailureTally.Reason reason) {
        String key = key(client);
        throttle.failed(key);
        failures.count(presented, key, reason, null);
    }

    /**
     * Whether the valid {@code token} may be used for this request: first its address allowlist (a refusal is
     * counted for the audit log, not for the throttle: the token itself is valid), then its rate limit, of which
     * one request is spent (its secret's, for an access token: {@link VerifiedToken#rateLimitKey()}). A token
     * without either costs nothing: no address worked out, no allocation, no lock.
     *
     * @param presented the bearer token itself; only its prefix is counted when it is refused for its address
     * @param known     the client address if a step before worked it out, else {@code null}
     */
    Admission admit(VerifiedToken token, String presented, HttpServletRequest request, Optional<InetAddress> known) {
        if (token.allowedAddresses() != null) {
            Optional<InetAddress> client = client(request, known);
            if (!token.allowsClient(client)) {
                failures.count(presented, key(client), FailureTally.Reason.ADDRESS, token.tenant());
                return Admission.ADDRESS_NOT_ALLOWED;
            }
        }
        VerifiedToken.RateLimit limit = token.rateLimit();
        return limit == null ? Admission.ADMITTED
                : Admission.rate(rates.acquire(token.rateLimitKey(), limit.requests(), limit.windowSeconds()));
    }

    private static String key(Optional<InetAddress> client) {
        return client.map(InetAddress::getHostAddress).orElse(UNKNOWN_CLIENT);
    }
}
