package io.keygate.server.admin;

import io.keygate.server.store.ApiToken;
import io.keygate.server.store.AuditEvent;
import io.keygate.server.store.Standing;
import io.keygate.server.store.Tenant;
import io.keygate.server.store.TokenLimits;
import io.keygate.server.store.Usage;
import jakarta.json.Json;
import jakarta.json.JsonArrayBuilder;
import jakarta.json.JsonObjectBuilder;
import jakarta.json.JsonValue;
import java.time.Instant;
import java.util.Optional;
import java.util.TreeSet;

/**
 * The JSON shapes of the admin API as the README documents them. Every documented field is always present ({@code null} when unset), the
 * way GitHub's and Stripe's APIs show them. The token plaintext appears only in {@link #created}.
 */
final class Representations {

    private Representations() {
    }

    static JsonObjectBuilder tenant(Tenant tenant) {
        return Json.createObjectBuilder()
                .add("slug", tenant.getSlug())
                .add("name", tenant.getName())
                .add("apiAccessEnabled", tenant.isApiAccessEnabled())
                .add("createdAt", tenant.getCreatedAt().toString())
                .add("maxTokenLifetimeSeconds", tenant.maxTokenLifetime()
                        .<JsonValue>map(max -> Json.createValue(max.getSeconds())).orElse(JsonValue.NULL));
    }

    /** A token as listings show it: stored usage plus what is counted but not yet written. */
    static JsonObjectBuilder token(ApiToken token, Optional<Usage> pending, Instant now) {
        return token(token, null, pending, now);
    }

    /**
     * A token as listings show it, an access token as its secret {@code parent} lets it be now ({@link Standing}):
     * {@code revoked} once the secret is, {@code expired} once the secret's grace ended, its scopes, limits and
     * expiry no more than the secret's.
     *
     * @param parent the secret that issued {@code token} as stored now; {@code null} for a token without one, or
     *               when that secret no longer exists
     */
    static JsonObjectBuilder token(ApiToken token, ApiToken parent, Optional<Usage> pending, Instant now) {
        long count = token.getUsageCount() + pending.map(Usage::count).orElse(0L);
        Instant lastUsed = pending.map(Usage::lastUsed).orElse(token.getLastUsedAt());
        JsonObjectBuilder json = common(token, Standing.of(token, parent, now));
        json.add("lastUsedAt", instant(lastUsed));
        json.add("usageCount", count);
        json.add("replacedBy", text(token.getReplacedBy()));
        json.add("issuedBy", text(token.getParentId()));
        return json;
    }

    /** The creation response: the only one that ever contains {@code token}. */
    static JsonObjectBuilder created(ApiToken token, String plaintext, Instant now) {
        return common(token, Standing.of(token, null, now)).add("token", plaintext);
    }

    private static JsonObjectBuilder common(ApiToken token, Standing standing) {
        JsonArrayBuilder scopes = Json.createArrayBuilder();
        new TreeSet<>(standing.scopes()).forEach(scopes::add);
        return Json.createObjectBuilder()
                .add("id", token.getId())
                .add("prefix", token.getPrefix())
                .add("name", token.getName())
                .add("owner", text(token.getOwner()))
                .add("scopes", scopes)
                .add("createdAt", token.getCreatedAt().toString())
                .add("expiresAt", instant(standing.expiresAt()))
                .add("status", standing.status().json())
                .add("rateLimit", rate(standing.limits().rate()))
                .add("allowedAddresses", standing.limits().allowedAddresses() == null ? JsonValue.NULL
                        : Json.createArrayBuilder(standing.limits().allowedAddresses()).build());
    }

    /** An audit event: never a token, see {@link io.keygate.server.audit.AuditTrail}. */
    static JsonObjectBuilder auditEvent(AuditEvent event) {
        return Json.createObjectBuilder()
                .add("id", event.getId())
                .add("createdAt", event.getCreatedAt().toString())
                .add("tenant", text(event.getTenantSlug()))
                .add("actor", event.getActor())
                .add("action", event.getAction())
                .add("target", text(event.getTarget()))
                .add("clientAddress", text(event.getClientAddress()))
                .add("detail", text(event.getDetail()));
    }

    private static JsonValue rate(TokenLimits.Rate rate) {
        return rate == null ? JsonValue.NULL : Json.createObjectBuilder().add("requests", rate.requests())
                .add("windowSeconds", rate.windowSeconds()).build();
    }

    private static JsonValue instant(Instant instant) {
        return instant == null ? JsonValue.NULL : Json.createValue(instant.toString());
    }

    private static JsonValue text(String text) {
        return text == null ? JsonValue.NULL : Json.createValue(text);
    }
}
