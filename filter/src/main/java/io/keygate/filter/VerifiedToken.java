package io.keygate.filter;

import io.keygate.transport.IpRange;
import java.net.InetAddress;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
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
 * @param rateLimit the token's request rate limit, or {@code null} for none
 * @param allowedAddresses where the token may be used from, or {@code null} for anywhere
 * @param parentId  for an access token from the token endpoint, the id of the API secret that issued it (its
 *                  scopes, limits and expiry are what that secret allows, so its verdict is forgotten when the
 *                  secret changes); {@code null} for any other token
 */
public record VerifiedToken(String tenant, String tokenId, String tokenName, String principal, Set<String> scopes,
        Long expiresAt, RateLimit rateLimit, List<IpRange> allowedAddresses, String parentId) {

    /** At most {@code requests} per {@code windowSeconds}. */
    public record RateLimit(long requests, long windowSeconds) {
    }

    /** A token without limits. */
    public VerifiedToken(String tenant, String tokenId, String tokenName, String principal, Set<String> scopes,
            Long expiresAt) {
        this(tenant, tokenId, tokenName, principal, scopes, expiresAt, null, null, null);
    }

    /** A token an admin created (no parent). */
    public VerifiedToken(String tenant, String tokenId, String tokenName, String principal, Set<String> scopes,
            Long expiresAt, RateLimit rateLimit, List<IpRange> allowedAddresses) {
        this(tenant, tokenId, tokenName, principal, scopes, expiresAt, rateLimit, allowedAddresses, null);
    }

    /**
     * Whose request budget a request of this token spends: its secret's for an access token, so that exchanging
     * a secret for more access tokens never buys more requests than the secret's {@code rateLimit}.
     */
    String rateLimitKey() {
        return parentId != null ? parentId : tokenId;
    }

    /** Whether the token may be used from {@code client} (unknown clients only where there is no allowlist). */
    public boolean allowsClient(Optional<InetAddress> client) {
        return allowedAddresses == null
                || client.isPresent() && allowedAddresses.stream().anyMatch(range -> range.contains(client.get()));
    }

    public VerifiedToken {
        Objects.requireNonNull(tenant, "tenant");
        Objects.requireNonNull(tokenId, "tokenId");
        Objects.requireNonNull(tokenName, "tokenName");
        Objects.requireNonNull(principal, "principal");
        scopes = Collections.unmodifiableSet(new LinkedHashSet<>(scopes));
        allowedAddresses = allowedAddresses == null ? null : List.copyOf(allowedAddresses);
    }
}
