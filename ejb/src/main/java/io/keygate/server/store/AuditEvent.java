package io.keygate.server.store;

import jakarta.persistence.Column;
import jakarta.persistence.Convert;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Index;
import jakarta.persistence.Table;
import java.time.Instant;

/**
 * One line of the audit log: who did what to which resource, when, from where. Admin actions are recorded one
 * by one; authentication failures as rate-limited summaries. It never holds a token: targets are ids and
 * slugs, and failures name a token only by its non-secret prefix.
 */
@Entity
@Table(name = "KG_AUDIT", indexes = @Index(name = "KG_AUDIT_TENANT_CREATED", columnList = "TENANT_SLUG, CREATED_AT, ID"))
public class AuditEvent {

    @Id
    @Column(name = "ID", length = 40)
    private String id;

    @Convert(converter = InstantMillisConverter.class)
    @Column(name = "CREATED_AT", nullable = false)
    private Instant createdAt;

    /** The tenant concerned, or {@code null} for global events (global admin tokens, unknown tokens). */
    @Column(name = "TENANT_SLUG", length = 63)
    private String tenantSlug;

    /** The admin token id that acted, or {@code anonymous} for failed authentications. */
    @Column(name = "ACTOR", length = 40, nullable = false)
    private String actor;

    /** What happened, e.g. {@code token.revoke}, {@code tenant.update}, {@code auth.failure}. */
    @Column(name = "ACTION", length = 40, nullable = false)
    private String action;

    /** The resource acted on: a slug, a token id, or a token prefix for failures. */
    @Column(name = "TARGET", length = 100)
    private String target;

    @Column(name = "CLIENT_ADDRESS", length = 64)
    private String clientAddress;

    /** A short human-readable summary, e.g. what a PATCH changed or how many failures were seen. */
    @Column(name = "DETAIL", length = 300)
    private String detail;

    protected AuditEvent() {
    }

    public AuditEvent(String id, Instant createdAt, String tenantSlug, String actor, String action, String target,
            String clientAddress, String detail) {
        this.id = id;
        this.createdAt = createdAt;
        this.tenantSlug = tenantSlug;
        this.actor = actor;
        this.action = action;
        this.target = target;
        this.clientAddress = clientAddress;
        this.detail = detail;
    }

    public String getId() {
        return id;
    }

    public Instant getCreatedAt() {
        return createdAt;
    }

    public String getTenantSlug() {
        return tenantSlug;
    }

    public String getActor() {
        return actor;
    }

    public String getAction() {
        return action;
    }

    public String getTarget() {
        return target;
    }

    public String getClientAddress() {
        return clientAddress;
    }

    public String getDetail() {
        return detail;
    }
}
