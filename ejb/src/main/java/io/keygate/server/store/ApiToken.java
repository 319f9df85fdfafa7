package io.keygate.server.store;

import jakarta.persistence.Column;
import jakarta.persistence.Convert;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Index;
import jakarta.persistence.Table;
import jakarta.persistence.Version;
import java.time.Instant;
import java.util.Set;

/**
 * A bearer token as the store keeps it: its SHA-256 and what it may do, never the token itself.
 *
 * <p>A token with a {@code tenantSlug} belongs to that tenant; one without is a global admin token, which only
 * the admin API accepts. The tenant is referenced by its slug rather than mapped as a relation so that the
 * verify path reads one row with no join.
 */
@Entity
@Table(name = "KG_TOKEN", indexes = {
        @Index(name = "KG_TOKEN_HASH", columnList = "TOKEN_HASH", unique = true),
        // The tenant listing (TokenStore.list: tenant, no parent, newest first from the cursor) in one range scan.
        // PARENT_ID belongs here: without it MariaDB lists through KG_TOKEN_PARENT and reads every newer row.
        @Index(name = "KG_TOKEN_TENANT_CREATED", columnList = "TENANT_SLUG, PARENT_ID, CREATED_AT, ID"),
        @Index(name = "KG_TOKEN_PARENT", columnList = "PARENT_ID, CREATED_AT, ID")})
public class ApiToken {

    @Id
    @Column(name = "ID", length = 40)
    private String id;

    @Column(name = "TENANT_SLUG", length = 63)
    private String tenantSlug;

    @Column(name = "TOKEN_HASH", length = 64, nullable = false, updatable = false)
    private String hash;

    @Column(name = "PREFIX", length = 16, nullable = false, updatable = false)
    private String prefix;

    @Column(name = "NAME", length = 100, nullable = false)
    private String name;

    @Column(name = "OWNER", length = 100)
    private String owner;

    @Convert(converter = ScopeSetConverter.class)
    @Column(name = "SCOPES", length = 1000, nullable = false)
    private Set<String> scopes;

    @Convert(converter = InstantMillisConverter.class)
    @Column(name = "CREATED_AT", nullable = false)
    private Instant createdAt;

    @Convert(converter = InstantMillisConverter.class)
    @Column(name = "EXPIRES_AT")
    private Instant expiresAt;

    @Convert(converter = InstantMillisConverter.class)
    @Column(name = "REVOKED_AT")
    private Instant revokedAt;

    @Convert(converter = InstantMillisConverter.class)
    @Column(name = "LAST_USED_AT")
    private Instant lastUsedAt;

    @Column(name = "USAGE_COUNT", nullable = false)
    private long usageCount;

    @Column(name = "REPLACED_BY", length = 40)
    private String replacedBy;

    /**
     * For a short-lived access token from the token endpoint (RFC 6749 section 4.4): the id of the API secret
     * that issued it, whose row decides what it may do now ({@link Standing}): revoking, rotating or narrowing the
     * secret applies to it without a write to this row.
     */
    @Column(name = "PARENT_ID", length = 40, updatable = false)
    private String parentId;

    /** Optional per-token rate limit: at most this many requests per {@link #rateLimitWindowSeconds}. */
    @Column(name = "RATE_LIMIT")
    private Integer rateLimit;

    @Column(name = "RATE_LIMIT_WINDOW")
    private Integer rateLimitWindowSeconds;

    /** Optional allowlist: comma-separated IP addresses and CIDR blocks the token may be used from. */
    @Column(name = "ALLOWED_ADDRESSES", length = 1000)
    private String allowedAddresses;

    /** Optimistic lock: concurrent revoke or rotate of one token leaves one consistent result. */
    @Version
    @Column(name = "VERSION", nullable = false)
    private long version;

    protected ApiToken() {
    }

    public ApiToken(String id, String tenantSlug, String hash, String prefix, TokenDetails details, Instant createdAt) {
        this.id = id;
        this.tenantSlug = tenantSlug;
        this.hash = hash;
        this.prefix = prefix;
        this.name = details.name();
        this.owner = details.owner();
        this.scopes = Set.copyOf(details.scopes());
        this.expiresAt = details.expiresAt();
        this.createdAt = createdAt;
    }

    /**
     * An access token issued by {@code parent} at the token endpoint. It has no limits of its own: its rate limit
     * and allowlist are its secret's as they are when it is verified ({@link Standing}).
     */
    static ApiToken accessToken(String id, ApiToken parent, String hash, String prefix, Set<String> scopes,
            Instant expiresAt, Instant createdAt) {
        ApiToken token = new ApiToken(id, parent.tenantSlug, hash, prefix,
                new TokenDetails(parent.name, parent.owner, scopes, expiresAt), createdAt);
        token.parentId = parent.id;
        return token;
    }

    /** {@code active}, {@code expired} or {@code revoked} at {@code now}. */
    public TokenStatus statusAt(Instant now) {
        if (revokedAt != null) {
            return TokenStatus.REVOKED;
        }
        if (expiresAt != null && !now.isBefore(expiresAt)) {
            return TokenStatus.EXPIRED;
        }
        return TokenStatus.ACTIVE;
    }

    /** Revokes the token at {@code now}; revoking again keeps the first instant. */
    public void revoke(Instant now) {
        if (revokedAt == null) {
            revokedAt = now;
        }
    }

    /** The name the application sees as the principal: the owner, or the token's name without one. */
    public String principalName() {
        return owner != null ? owner : name;
    }

    public String getId() {
        return id;
    }

    public String getTenantSlug() {
        return tenantSlug;
    }

    public String getHash() {
        return hash;
    }

    public String getPrefix() {
        return prefix;
    }

    public String getName() {
        return name;
    }

    public String getOwner() {
        return owner;
    }

    public Set<String> getScopes() {
        return Set.copyOf(scopes);
    }

    public Instant getCreatedAt() {
        return createdAt;
    }

    public Instant getExpiresAt() {
        return expiresAt;
    }

    public void setExpiresAt(Instant expiresAt) {
        this.expiresAt = expiresAt;
    }

    public Instant getRevokedAt() {
        return revokedAt;
    }

    public Instant getLastUsedAt() {
        return lastUsedAt;
    }

    public long getUsageCount() {
        return usageCount;
    }

    public String getReplacedBy() {
        return replacedBy;
    }

    public void setReplacedBy(String replacedBy) {
        this.replacedBy = replacedBy;
    }

    /** The token's limits as an admin set them. */
    public TokenLimits getLimits() {
        return new TokenLimits(rateLimit == null ? null : new TokenLimits.Rate(rateLimit, rateLimitWindowSeconds),
                allowedAddresses == null ? null : java.util.List.of(allowedAddresses.split(",")));
    }

    /** Replaces the token's limits; the access tokens it issued follow them ({@link Standing}). */
    public void setLimits(TokenLimits limits) {
        rateLimit = limits.rate() == null ? null : limits.rate().requests();
        rateLimitWindowSeconds = limits.rate() == null ? null : limits.rate().windowSeconds();
        allowedAddresses = limits.allowedAddresses() == null ? null : String.join(",", limits.allowedAddresses());
    }

    public void setName(String name) {
        this.name = name;
    }

    /** Replaces the scopes (an admin narrowing or widening the token). */
    public void setScopes(Set<String> scopes) {
        this.scopes = Set.copyOf(scopes);
    }

    /** The API secret that issued this access token, or {@code null} for a token an admin created. */
    public String getParentId() {
        return parentId;
    }
}
