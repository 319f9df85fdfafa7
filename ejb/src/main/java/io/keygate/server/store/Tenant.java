package io.keygate.server.store;

import jakarta.persistence.Column;
import jakarta.persistence.Convert;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Index;
import jakarta.persistence.Table;
import jakarta.persistence.Version;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * A customer of the applications on this server. Its slug names it in every URL and never changes; switching
 * {@code apiAccessEnabled} off refuses every one of its tokens on the next request.
 */
@Entity
@Table(name = "KG_TENANT", indexes = @Index(name = "KG_TENANT_CREATED", columnList = "CREATED_AT, SLUG"))
public class Tenant {

    @Id
    @Column(name = "SLUG", length = 63)
    private String slug;

    @Column(name = "NAME", length = 100, nullable = false)
    private String name;

    @Column(name = "API_ACCESS_ENABLED", nullable = false)
    private boolean apiAccessEnabled;

    @Convert(converter = InstantMillisConverter.class)
    @Column(name = "CREATED_AT", nullable = false)
    private Instant createdAt;

    /**
     * The tenant's token lifetime policy, like a GitHub organization's: when set, every token created or rotated
     * for the tenant must expire, at most this many seconds after its creation.
     */
    @Column(name = "MAX_TOKEN_LIFETIME")
    private Long maxTokenLifetimeSeconds;

    /** Optimistic lock: two admins changing the same tenant at once cannot both win silently. */
    @Version
    @Column(name = "VERSION", nullable = false)
    private long version;

    protected Tenant() {
    }

    public Tenant(String slug, String name, Instant createdAt) {
        this.slug = slug;
        this.name = name;
        this.createdAt = createdAt;
        this.apiAccessEnabled = true;
    }

    public String getSlug() {
        return slug;
    }

    public String getName() {
        return name;
    }

    public void setName(String name) {
        this.name = name;
    }

    public boolean isApiAccessEnabled() {
        return apiAccessEnabled;
    }

    public void setApiAccessEnabled(boolean apiAccessEnabled) {
        this.apiAccessEnabled = apiAccessEnabled;
    }

    public Instant getCreatedAt() {
        return createdAt;
    }

    /** The longest a new token may live, or empty for no policy. */
    public Optional<Duration> maxTokenLifetime() {
        return Optional.ofNullable(maxTokenLifetimeSeconds).map(Duration::ofSeconds);
    }

    /** Sets the policy; {@code null} removes it. Tokens issued before keep their expiry. */
    public void setMaxTokenLifetime(Duration maxTokenLifetime) {
        this.maxTokenLifetimeSeconds = maxTokenLifetime == null ? null : maxTokenLifetime.getSeconds();
    }
}
