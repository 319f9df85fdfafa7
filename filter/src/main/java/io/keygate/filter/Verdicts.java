package io.keygate.filter;

import io.keygate.transport.IpRange;

import io.keygate.token.Scopes;
import io.keygate.protocol.VerifierProtocol;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Reads the verifier's answer to {@link VerifierProtocol#VERIFY}: the verdict map becomes a {@link VerificationResult},
 * a valid one with its {@link VerifiedToken}. An answer that does not follow the protocol is
 * {@link VerificationResult.Unavailable}: fail closed, no verdict.
 */
final class Verdicts {

    private Verdicts() {
    }

    /** Reads the answer map; {@link VerificationResult.Unavailable} when it breaks the protocol. */
    static VerificationResult interpret(Object answer) {
        if (!(answer instanceof Map<?, ?> map)) {
            return new VerificationResult.Unavailable();
        }
        Object result = map.get(VerifierProtocol.RESULT);
        if (VerifierProtocol.INVALID.equals(result)) {
            return new VerificationResult.Invalid();
        }
        if (VerifierProtocol.EXPIRED.equals(result)) {
            return new VerificationResult.Expired();
        }
        if (!VerifierProtocol.VALID.equals(result)) {
            return new VerificationResult.Unavailable();
        }
        String tenant = text(map.get(VerifierProtocol.TENANT));
        String tokenId = text(map.get(VerifierProtocol.TOKEN_ID));
        String tokenName = text(map.get(VerifierProtocol.TOKEN_NAME));
        String principal = text(map.get(VerifierProtocol.PRINCIPAL));
        Set<String> scopes = scopes(map.get(VerifierProtocol.SCOPES));
        Object expiresAt = map.get(VerifierProtocol.EXPIRES_AT);
        Object parent = map.get(VerifierProtocol.PARENT_ID);
        String parentId = text(parent);
        if (tenant == null || tokenId == null || tokenName == null || principal == null || scopes == null
                || (parent != null && parentId == null)
                || (expiresAt != null && !(expiresAt instanceof Long || expiresAt instanceof Integer))) {
            return new VerificationResult.Unavailable();
        }
        Long expiry = expiresAt == null ? null : ((Number) expiresAt).longValue();
        Object rate = map.get(VerifierProtocol.RATE_LIMIT);
        Object addresses = map.get(VerifierProtocol.ALLOWED_ADDRESSES);
        VerifiedToken.RateLimit rateLimit = rate == null ? null : rateLimit(rate);
        List<IpRange> allowed = addresses == null ? null : ranges(addresses);
        if ((rate != null && rateLimit == null) || (addresses != null && allowed == null)) {
            return new VerificationResult.Unavailable();
        }
        return new VerificationResult.Valid(new VerifiedToken(tenant, tokenId, tokenName, principal, scopes, expiry,
                rateLimit, allowed, parentId));
    }

    /** {@code [requests, windowSeconds]}, both positive; {@code null} when it is not. */
    private static VerifiedToken.RateLimit rateLimit(Object value) {
        if (value instanceof List<?> list && list.size() == 2 && list.get(0) instanceof Number requests
                && list.get(1) instanceof Number window && requests.longValue() > 0 && window.longValue() > 0) {
            return new VerifiedToken.RateLimit(requests.longValue(), window.longValue());
        }
        return null;
    }

    /** Address literals and CIDR blocks; {@code null} when one is not (fail closed: no verdict). */
    private static List<IpRange> ranges(Object value) {
        if (!(value instanceof List<?> list)) {
            return null;
        }
        List<IpRange> ranges = new ArrayList<>();
        for (Object item : list) {
            try {
                ranges.add(IpRange.parse((String) item));
            } catch (RuntimeException e) {
                return null;
            }
        }
        return ranges;
    }

    private static String text(Object value) {
        return value instanceof String s && !s.isBlank() ? s : null;
    }

    private static Set<String> scopes(Object value) {
        if (!(value instanceof List<?> list)) {
            return null;
        }
        Set<String> scopes = new LinkedHashSet<>();
        for (Object scope : list) {
            if (!(scope instanceof String name) || !Scopes.isValidName(name)) {
                return null;
            }
            scopes.add(name);
        }
        return scopes;
    }
}
