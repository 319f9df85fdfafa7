package io.keygate.server.service;

import io.keygate.server.audit.AuditTrail;
import io.keygate.server.cluster.ClusterChanges;
import io.keygate.server.store.ApiToken;
import io.keygate.server.store.Rotation;
import io.keygate.server.store.Tenant;
import io.keygate.server.store.TenantChanges;
import io.keygate.server.store.TenantStore;
import io.keygate.server.store.TokenChanges;
import io.keygate.server.store.TokenDetails;
import io.keygate.server.store.TokenLimits;
import io.keygate.server.store.TokenStore;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.TreeSet;

/**
 * Every change of a tenant or a token, done the one way: write it to the store, then publish it to the filters'
 * caches on this server and send it to the other servers ({@link ClusterChanges}), then record it in the audit log,
 * all before the caller answers. So a client that got the answer and sends its next request finds every filter of
 * this server already told, and those of the other servers within the cluster engine's delay (well under a
 * second); no endpoint can forget a step. Sending never fails the call: the change is committed already.
 *
 * <p>A change that changed nothing (revoking a revoked token) is neither published nor audited: it must not make
 * every filter on every server catch up, or a holder of one token could send every protected request to the store by
 * repeating it. A token is published with the access tokens it issued ({@link #published(ApiToken)}): they follow
 * their secret, and a filter forgets them by the secret's id.
 *
 * <p>Each method returns empty when the tenant or token does not exist (or is not the caller's to see); the caller
 * answers that as it answers a missing resource.
 */
@ApplicationScoped
public class StoreWrites {

    @Inject
    private TenantStore tenants;

    @Inject
    private TokenStore tokens;

    @Inject
    private ClusterChanges changes;

    @Inject
    private AuditTrail audit;

    public Tenant createTenant(Actor actor, String slug, String name, Duration maxTokenLifetime) {
        Tenant tenant = tenants.create(slug, name, maxTokenLifetime);
        record(actor, slug, "tenant.create", slug, "name=" + name);
        return tenant;
    }

    /** @param fields the fields the request changed, for the audit log */
    public Optional<Tenant> updateTenant(Actor actor, String slug, TenantChanges update, String fields) {
        Optional<Tenant> tenant = tenants.update(slug, update);
        tenant.ifPresent(t -> {
            changes.tenantChanged(slug);
            record(actor, slug, "tenant.update", slug, fields);
        });
        return tenant;
    }

    /** Issues a tenant's token, or a global admin token when {@code slug} is {@code null}. */
    public Optional<TokenStore.IssuedToken> issue(Actor actor, String slug, TokenDetails details, TokenLimits limits) {
        Optional<TokenStore.IssuedToken> issued = tokens.issue(slug, details, limits);
        issued.ifPresent(i -> {
            if (slug == null) {
                record(actor, null, "admin_token.create", i.token().getId(), null);
            } else {
                record(actor, slug, "token.create", i.token().getId(),
                        "scopes=" + String.join(" ", new TreeSet<>(details.scopes())));
            }
        });
        return issued;
    }

    /** @param fields the fields the request changed, for the audit log */
    public Optional<ApiToken> update(Actor actor, String slug, String id, TokenChanges update, String fields) {
        Optional<ApiToken> token = tokens.update(slug, id, update);
        token.ifPresent(t -> {
            published(t);
            record(actor, slug, "token.update", id, fields);
        });
        return token;
    }

    /**
     * Revokes a token of {@code slug}, or a global admin token when {@code slug} is {@code null}: a global token
     * issues no access tokens, so its hash alone is published.
     *
     * @return whether the token exists (revoked now, or before)
     */
    public boolean revoke(Actor actor, String slug, String id) {
        Optional<TokenStore.Revocation> revocation = tokens.revoke(slug, id);
        revocation.filter(TokenStore.Revocation::changed).map(TokenStore.Revocation::token).ifPresent(t -> {
            if (slug == null) {
                changes.tokenChanged(t.getHash());
                record(actor, null, "admin_token.revoke", id, null);
            } else {
                published(t);
                record(actor, slug, "token.revoke", id, null);
            }
        });
        return revocation.isPresent();
    }

    /** Rotates a token: its successor now, the old one ending after {@code grace} ({@code TokenStore#rotate}). */
    public Optional<TokenStore.IssuedToken> rotate(Actor actor, String slug, String id, Duration grace,
            Instant expiresAt) {
        Optional<Rotation> rotation = tokens.rotate(slug, id, grace, expiresAt);
        rotation.ifPresent(r -> {
            published(r.replaced());
            record(actor, slug, "token.rotate", id,
                    "replacedBy=" + r.successor().token().getId() + ", graceSeconds=" + grace.getSeconds());
        });
        return rotation.map(Rotation::successor);
    }

    /**
     * RFC 7009 revocation by whoever holds the token: no actor, nothing audited but a failure.
     *
     * @return the token when this revoked it; empty for an unknown token or one revoked already
     */
    public Optional<ApiToken> revokeByHash(String hash) {
        Optional<ApiToken> revoked = tokens.revokeByHash(hash).filter(TokenStore.Revocation::changed)
                .map(TokenStore.Revocation::token);
        revoked.ifPresent(this::published);
        return revoked;
    }

    /** The token, and so every access token it issued: one entry, which filters follow by the secret's id. */
    private void published(ApiToken token) {
        changes.secretChanged(token.getHash(), token.getId());
    }

    private void record(Actor actor, String tenant, String action, String target, String detail) {
        audit.record(tenant, actor.tokenId(), action, target, actor.client(), detail);
    }
}
