package io.keygate.filter;

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
 */
final class RequestLimits {

    /** Where the client address is unknown (a trusted proxy forwarded garbage): all such clients share a key. */
    static final String UNKNOWN_CLIENT = "unknown";

    private final TransportSecurity transport;
    private final FailureThrottle throttle;
    private final TokenRateLimiter rates;

    RequestLimits(TransportSecurity transport, ThrottleSettings settings, LongSupplier nanoClock) {
        this.transport = transport;
        this.throttle = new FailureThrottle(settings.maxFailures(), settings.window(), nanoClock);
        this.rates = new TokenRateLimiter(nanoClock);
    }

    /** Seconds this client must wait after too many failures, or empty. */
    OptionalLong throttled(HttpServletRequest request) {
        if (throttle.idle()) {
            return OptionalLong.empty();
        }
        return throttle.retryAfter(key(transport.clientAddress(request)));
    }

    /** Counts a failed authentication of this client. */
    void failed(HttpServletRequest request) {
        throttle.failed(key(transport.clientAddress(request)));
    }

    /** Whether the valid {@code token} may be used for this request; otherwise the refusal is written. */
    boolean admit(HttpServletRequest request, HttpServletResponse response, VerifiedToken token,
            ErrorResponseWriter errors) throws IOException {
        if (token.allowedAddresses() != null && !token.allowsClient(transport.clientAddress(request))) {
            errors.write(response, BearerErrors.ADDRESS_NOT_ALLOWED_ERROR);
            return false;
        }
        VerifiedToken.RateLimit limit = token.rateLimit();
        if (limit == null) {
            return true;
        }
        TokenRateLimiter.Decision decision = rates.acquire(token.tokenId(), limit.requests(), limit.windowSeconds());
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

    private static String key(Optional<InetAddress> client) {
        return client.map(InetAddress::getHostAddress).orElse(UNKNOWN_CLIENT);
    }
}
