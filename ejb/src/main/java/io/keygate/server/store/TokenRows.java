package io.keygate.server.store;

import jakarta.persistence.EntityManager;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.Objects;

/** What the token classes of this package share about token rows: their ids, their owners, their lifetimes. */
final class TokenRows {

    private TokenRows() {
    }

    /** A new token id: {@code tok_} and 24 random hex digits. */
    static String newId(SecureRandom random) {
        byte[] bytes = new byte[12];
        random.nextBytes(bytes);
        return "tok_" + HexFormat.of().formatHex(bytes);
    }

    /** The token {@code id} when it belongs to {@code tenantSlug} ({@code null}: a global admin token), else null. */
    static ApiToken findIn(EntityManager em, String tenantSlug, String id) {
        ApiToken token = em.find(ApiToken.class, id);
        if (token == null || !Objects.equals(token.getTenantSlug(), tenantSlug)) {
            return null;
        }
        return token;
    }

    /** Enforces the tenant's maximum token lifetime, if it has one. */
    static void checkLifetime(Tenant tenant, Instant expiresAt, Instant now) {
        if (tenant == null || tenant.maxTokenLifetime().isEmpty()) {
            return;
        }
        Duration max = tenant.maxTokenLifetime().get();
        Instant latest = now.plus(max);
        if (expiresAt == null) {
            throw new LifetimePolicyException("Tenant '" + tenant.getSlug() + "' requires every token to expire within "
                    + max.getSeconds() + " seconds: set 'expiresAt' (at the latest " + latest + ")");
        }
        if (expiresAt.isAfter(latest)) {
            throw new LifetimePolicyException("'expiresAt' is beyond tenant '" + tenant.getSlug()
                    + "''s maximum token lifetime of " + max.getSeconds() + " seconds: at the latest " + latest);
        }
    }
}
