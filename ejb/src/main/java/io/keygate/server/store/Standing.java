package io.keygate.server.store;

import io.keygate.token.Scopes;
import java.time.Instant;
import java.util.LinkedHashSet;
import java.util.Set;

/**
 * What a token may do at an instant: its status, scopes, limits and expiry. For a token an admin created they are
 * its own. An access token from the token endpoint (RFC 6749 section 4.4) follows the API secret that issued it:
 * it is never worth more than that secret is now, so the secret's row, read when the question is asked, decides.
 * Ending or narrowing a secret therefore needs no write to its access tokens, however many there are.
 *
 * <ul>
 * <li>status: revoked when either is revoked (or the secret is gone), else expired when either has expired,
 * else active;</li>
 * <li>scopes: the access token's own that the secret's current scopes still satisfy ({@code write} implies
 * {@code read}), never one of {@link Scopes#NEVER_GRANTED_TO_ACCESS_TOKENS};</li>
 * <li>limits: the secret's current rate limit and address allowlist;</li>
 * <li>expiry: the earlier of the two.</li>
 * </ul>
 *
 * @param expiresAt when the token stops working, or {@code null} for never
 */
public record Standing(TokenStatus status, Set<String> scopes, TokenLimits limits, Instant expiresAt) {

    public Standing {
        scopes = Set.copyOf(scopes);
    }

    /**
     * @param parent the secret that issued {@code token} as stored now, or {@code null} when {@code token} has no
     *               parent or its parent no longer exists
     */
    public static Standing of(ApiToken token, ApiToken parent, Instant now) {
        if (token.getParentId() == null) {
            return new Standing(token.statusAt(now), token.getScopes(), token.getLimits(), token.getExpiresAt());
        }
        Instant expiresAt = earlier(token.getExpiresAt(), parent == null ? null : parent.getExpiresAt());
        if (parent == null || !parent.getId().equals(token.getParentId()) || parent.getParentId() != null) {
            return new Standing(TokenStatus.REVOKED, Set.of(), TokenLimits.NONE, expiresAt);
        }
        Set<String> scopes = new LinkedHashSet<>();
        for (String scope : token.getScopes()) {
            if (!Scopes.NEVER_GRANTED_TO_ACCESS_TOKENS.contains(scope) && Scopes.satisfies(parent.getScopes(), scope)) {
                scopes.add(scope);
            }
        }
        return new Standing(worse(token.statusAt(now), parent.statusAt(now)), scopes, parent.getLimits(), expiresAt);
    }

    private static TokenStatus worse(TokenStatus own, TokenStatus secret) {
        if (own == TokenStatus.REVOKED || secret == TokenStatus.REVOKED) {
            return TokenStatus.REVOKED;
        }
        return own == TokenStatus.EXPIRED || secret == TokenStatus.EXPIRED ? TokenStatus.EXPIRED : TokenStatus.ACTIVE;
    }

    private static Instant earlier(Instant a, Instant b) {
        if (a == null) {
            return b;
        }
        return b == null || a.isBefore(b) ? a : b;
    }
}
