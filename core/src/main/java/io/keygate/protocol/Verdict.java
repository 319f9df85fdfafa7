package io.keygate.protocol;

import static io.keygate.protocol.VerifierProtocol.ALLOWED_ADDRESSES;
import static io.keygate.protocol.VerifierProtocol.EXPIRES_AT;
import static io.keygate.protocol.VerifierProtocol.PARENT_ID;
import static io.keygate.protocol.VerifierProtocol.PRINCIPAL;
import static io.keygate.protocol.VerifierProtocol.RATE_LIMIT;
import static io.keygate.protocol.VerifierProtocol.RESULT;
import static io.keygate.protocol.VerifierProtocol.SCOPES;
import static io.keygate.protocol.VerifierProtocol.TENANT;
import static io.keygate.protocol.VerifierProtocol.TOKEN_ID;
import static io.keygate.protocol.VerifierProtocol.TOKEN_NAME;

import io.keygate.token.Scopes;
import io.keygate.transport.IpRange;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The answer to {@link VerifierProtocol#VERIFY}: {@link Valid} with what the token is and may do now,
 * {@link #INVALID} (or {@link #REVOKED}, which only the metrics tell apart) or {@link #EXPIRED}. The verifier writes
 * it with {@link #toWire()}, the filter reads it with {@link #fromWire}, which refuses an answer outside the
 * protocol: the filter then has no verdict (503), never a guessed one.
 */
public sealed interface Verdict {

    /** Unknown, revoked, or the tenant's API access is switched off: indistinguishable on purpose. */
    Verdict INVALID = new Refused(VerifierProtocol.INVALID, false);
    /** {@link #INVALID} for the client; revoked for the operator's metrics. */
    Verdict REVOKED = new Refused(VerifierProtocol.INVALID, true);
    /** The token was valid and has expired. */
    Verdict EXPIRED = new Refused(VerifierProtocol.EXPIRED, false);

    /** The answer as the protocol carries it: a map of JDK values. */
    Map<String, Object> toWire();

    /** At most {@code requests} per {@code windowSeconds}, both positive. */
    record RateLimit(long requests, long windowSeconds) {
        public RateLimit {
            if (requests < 1 || windowSeconds < 1) {
                throw new IllegalArgumentException("a rate limit's requests and window are positive");
            }
        }
    }

    /**
     * A valid token: its identity ({@link VerifierProtocol#TENANT} and the rest) and what it may do now.
     *
     * @param scopes           scope names as granted, in the verifier's order
     * @param expiresAt        epoch milliseconds, or {@code null} for never
     * @param rateLimit        or {@code null} for none
     * @param allowedAddresses address literals and CIDR blocks, each one {@link IpRange#parse} takes, or
     *                         {@code null} for anywhere
     * @param parentId         the API secret that issued an access token, or {@code null}
     */
    record Valid(String tenant, String tokenId, String tokenName, String principal, List<String> scopes,
            Long expiresAt, RateLimit rateLimit, List<String> allowedAddresses, String parentId) implements Verdict {

        public Valid {
            WireValues.required(tenant, TENANT);
            WireValues.required(tokenId, TOKEN_ID);
            WireValues.required(tokenName, TOKEN_NAME);
            WireValues.required(principal, PRINCIPAL);
            scopes = List.copyOf(scopes);
            allowedAddresses = allowedAddresses == null ? null : List.copyOf(allowedAddresses);
        }

        @Override
        public Map<String, Object> toWire() {
            Map<String, Object> answer = new HashMap<>();
            answer.put(RESULT, VerifierProtocol.VALID);
            answer.put(TENANT, tenant);
            answer.put(TOKEN_ID, tokenId);
            answer.put(TOKEN_NAME, tokenName);
            answer.put(PRINCIPAL, principal);
            answer.put(SCOPES, scopes);
            putIfPresent(answer, EXPIRES_AT, expiresAt);
            putIfPresent(answer, RATE_LIMIT, rateLimit == null ? null
                    : List.of(rateLimit.requests(), rateLimit.windowSeconds()));
            putIfPresent(answer, ALLOWED_ADDRESSES, allowedAddresses);
            putIfPresent(answer, PARENT_ID, parentId);
            return Map.copyOf(answer);
        }

        private static void putIfPresent(Map<String, Object> answer, String key, Object value) {
            if (value != null) {
                answer.put(key, value);
            }
        }
    }

    /**
     * {@link #INVALID}, {@link #REVOKED} or {@link #EXPIRED}: the answer is the result alone, with
     * {@link VerifierProtocol#REVOKED} beside it for a revoked token.
     */
    record Refused(String result, boolean revoked) implements Verdict {
        @Override
        public Map<String, Object> toWire() {
            return revoked ? Map.of(RESULT, result, VerifierProtocol.REVOKED, Boolean.TRUE) : Map.of(RESULT, result);
        }
    }

    /** Reads an answer; empty when it does not follow the protocol. */
    static Optional<Verdict> fromWire(Object answer) {
        if (!(answer instanceof Map<?, ?> map)) {
            return Optional.empty();
        }
        Object result = map.get(RESULT);
        if (VerifierProtocol.INVALID.equals(result)) {
            return Optional.of(Boolean.TRUE.equals(map.get(VerifierProtocol.REVOKED)) ? REVOKED : INVALID);
        }
        if (VerifierProtocol.EXPIRED.equals(result)) {
            return Optional.of(EXPIRED);
        }
        return VerifierProtocol.VALID.equals(result) ? Optional.ofNullable(valid(map)) : Optional.empty();
    }

    /** The valid verdict in {@code map}; {@code null} when a field breaks the protocol. */
    private static Valid valid(Map<?, ?> map) {
        String tenant = WireValues.text(map.get(TENANT));
        String tokenId = WireValues.text(map.get(TOKEN_ID));
        String tokenName = WireValues.text(map.get(TOKEN_NAME));
        String principal = WireValues.text(map.get(PRINCIPAL));
        List<String> scopes = WireValues.strings(map.get(SCOPES));
        Object expiresAt = map.get(EXPIRES_AT);
        Object parent = map.get(PARENT_ID);
        Object rate = map.get(RATE_LIMIT);
        Object addresses = map.get(ALLOWED_ADDRESSES);
        RateLimit rateLimit = rate == null ? null : rateLimit(rate);
        List<String> allowed = addresses == null ? null : addresses(addresses);
        if (tenant == null || tokenId == null || tokenName == null || principal == null || scopes == null
                || !scopes.stream().allMatch(Scopes::isValidName)
                || parent != null && WireValues.text(parent) == null
                || expiresAt != null && !(expiresAt instanceof Long || expiresAt instanceof Integer)
                || rate != null && rateLimit == null || addresses != null && allowed == null) {
            return null;
        }
        return new Valid(tenant, tokenId, tokenName, principal, scopes,
                expiresAt == null ? null : ((Number) expiresAt).longValue(), rateLimit, allowed, (String) parent);
    }

    /** {@code [requests, windowSeconds]}, both positive; {@code null} when it is not. */
    private static RateLimit rateLimit(Object value) {
        if (value instanceof List<?> list && list.size() == 2 && list.get(0) instanceof Number requests
                && list.get(1) instanceof Number window && requests.longValue() > 0 && window.longValue() > 0) {
            return new RateLimit(requests.longValue(), window.longValue());
        }
        return null;
    }

    /** Address literals and CIDR blocks; {@code null} when one is not (fail closed: no verdict). */
    private static List<String> addresses(Object value) {
        List<String> addresses = WireValues.strings(value);
        try {
            if (addresses != null) {
                addresses.forEach(IpRange::parse);
            }
            return addresses;
        } catch (IllegalArgumentException e) {
            return null;
        }
    }
}
