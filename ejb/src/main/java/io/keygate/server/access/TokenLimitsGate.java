package io.keygate.server.access;

import io.keygate.bearer.BearerError;
import io.keygate.bearer.BearerErrors;
import io.keygate.limits.CountBoard;
import io.keygate.limits.CurrentBoard;
import io.keygate.limits.TokenRateLimiter;
import io.keygate.server.http.ErrorWriter;
import io.keygate.server.store.TokenLimits;
import java.util.HashMap;
import java.util.Map;
import java.util.function.LongSupplier;

/**
 * A token's own limits at {@code keygate.war}'s endpoints, as the filter applies them in a protected WAR: its
 * {@code allowedAddresses} (403 {@code address_not_allowed} for any other client address) and its
 * {@code rateLimit} (429 {@code rate_limit_exceeded} with {@code Retry-After}; every admitted request carries the
 * {@code RateLimit-Limit}, {@code RateLimit-Remaining} and {@code RateLimit-Reset} headers of
 * draft-ietf-httpapi-ratelimit-headers). One instance for the whole of {@code keygate.war}, produced once
 * at start-up, so that the admin API, the token endpoint, introspection and the verifier binding draw
 * on one count per token, on the server's {@link CountBoard}: the same count as every protected WAR's filter.
 *
 * <p>The limits are the ones the store says apply now ({@code Verification.Valid.limits()}): for an access token,
 * its secret's current ones.
 */
public final class TokenLimitsGate {

    /**
     * What became of one request.
     *
     * @param refusal the answer when refused, or {@code null} when admitted
     * @param headers headers for the answer either way ({@code RateLimit-*}, and {@code Retry-After} when refused)
     */
    public record Admission(BearerError refusal, Map<String, String> headers) {

        static final Admission UNLIMITED = new Admission(null, Map.of());

        public Admission {
            headers = Map.copyOf(headers);
        }

        public boolean admitted() {
            return refusal == null;
        }

        /** Whether the client address was refused: a failed authentication for the audit log, as in the filter. */
        public boolean addressRefused() {
            return refusal == BearerErrors.ADDRESS_NOT_ALLOWED_ERROR;
        }
    }

    private final TokenRateLimiter rates;

    /** @param clock epoch milliseconds */
    public TokenLimitsGate(CountBoard board, LongSupplier clock) {
        this.rates = new TokenRateLimiter(new CurrentBoard(board), clock);
    }

    /** Checks the address, then counts one request of {@code tokenId} against its rate. */
    public Admission admit(String tokenId, TokenLimits limits, ClientAddress client) {
        if (limits == null) {
            return Admission.UNLIMITED;
        }
        if (!client.isAllowedBy(limits.allowedAddresses())) {
            return new Admission(BearerErrors.ADDRESS_NOT_ALLOWED_ERROR, Map.of());
        }
        TokenLimits.Rate rate = limits.rate();
        if (rate == null) {
            return Admission.UNLIMITED;
        }
        TokenRateLimiter.Decision decision = rates.acquire(tokenId, rate.requests(), rate.windowSeconds());
        Map<String, String> headers = new HashMap<>(Map.of(
                "RateLimit-Limit", Long.toString(decision.limit()),
                "RateLimit-Remaining", Long.toString(decision.remaining()),
                "RateLimit-Reset", Long.toString(decision.resetSeconds())));
        if (decision.allowed()) {
            return new Admission(null, headers);
        }
        headers.put(ErrorWriter.RETRY_AFTER, Long.toString(decision.resetSeconds()));
        return new Admission(BearerErrors.RATE_LIMITED_ERROR, headers);
    }
}
