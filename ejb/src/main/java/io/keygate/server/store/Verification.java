package io.keygate.server.store;

import java.time.Instant;
import java.util.Set;

/** What the store says about a presented token. */
public sealed interface Verification {

    /** Whether the token, or the secret that issued it, was revoked ({@link Invalid}): for the operator's metrics. */
    default boolean revoked() {
        return false;
    }

    /**
     * Active, not expired, and its tenant (if any) has API access. {@code token} is the row as stored and names
     * the token (id, tenant, name, owner, parent); what the token may do now is {@code scopes}, {@code limits}
     * and {@code expiresAt}. For a token an admin created they are its own; for an access token from the token
     * endpoint they are what its secret allows now (never more than the secret), so every caller that decides
     * must read them here and not from {@code token}.
     *
     * @param scopes    the scopes the token may use now
     * @param limits    the rate limit and address allowlist that apply to it now
     * @param expiresAt when it stops working, or {@code null} for never
     */
    record Valid(ApiToken token, Set<String> scopes, TokenLimits limits, Instant expiresAt) implements Verification {

        public Valid {
            scopes = Set.copyOf(scopes);
        }

        /** A token that answers for itself: an admin-created token, a secret, or a global token. */
        public Valid(ApiToken token) {
            this(token, token.getScopes(), token.getLimits(), token.getExpiresAt());
        }
    }

    /**
     * Unknown, revoked, or its tenant's API access is off: told apart by no client, on purpose.
     *
     * @param revoked whether it (or its secret) was revoked: for the operator's metrics only
     */
    record Invalid(boolean revoked) implements Verification {
    }

    /** Known and not revoked, but past {@code expiresAt}. */
    record Expired() implements Verification {
    }

    Verification INVALID = new Invalid(false);
    Verification REVOKED = new Invalid(true);
    Verification EXPIRED = new Expired();
}
