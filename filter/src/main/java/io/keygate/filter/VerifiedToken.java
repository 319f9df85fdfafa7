package io.keygate.filter;

import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.Objects;
import java.util.Set;

/**
 * The identity a valid token carries, as the verifier reported it. Holds no token and no hash.
 *
 * @param tenant    the tenant's slug
 * @param tokenId   the admin API's id of the token
 * @param tokenName the token's name
 * @param principal the owner, or the token's name when it has none
 * @param scopes    the scopes as granted, unmodifiable, in the verifier's order
 * @param expiresAt when the token stops working, epoch milliseconds, or {@code null} for never
 */
public record VerifiedToken(String tenant, String tokenId, String tokenName, String principal, Set<String> scopes,
        Long expiresAt) {

    public VerifiedToken {
        Objects.requireNonNull(tenant, "tenant");
        Objects.requireNonNull(tokenId, "tokenId");
        Objects.requireNonNull(tokenName, "tokenName");
        Objects.requireNonNull(principal, "principal");
        scopes = Collections.unmodifiableSet(new LinkedHashSet<>(scopes));
    }
}
