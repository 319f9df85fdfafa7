package io.keygate.server.admin;

import io.keygate.server.service.StoreWrites;
import io.keygate.server.store.ApiToken;
import io.keygate.server.store.TenantStore;
import io.keygate.server.store.TokenChanges;
import io.keygate.server.store.TokenDetails;
import io.keygate.server.store.TokenLimits;
import io.keygate.server.store.TokenStore;
import jakarta.enterprise.context.RequestScoped;
import jakarta.inject.Inject;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.PATCH;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.SecurityContext;
import jakarta.ws.rs.core.UriInfo;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * {@code /tenants/{slug}/tokens}: issue, list, read and revoke a tenant's tokens. {@code DELETE} revokes and
 * keeps the token listed as {@code revoked}, so the audit trail of what existed survives.
 */
@Path("tenants/{slug}/tokens")
@RequestScoped
@Produces(MediaType.APPLICATION_JSON)
public class TokenResource {

    /** What a token id looks like: {@code tok_} and 24 hex digits, {@code tok_boot} and 24, or {@code tok_bootstrap}; never a token. */
    private static final Pattern TOKEN_ID = Pattern.compile("tok_[a-z0-9]{1,40}");

    static final long MAX_GRACE_SECONDS = 30L * 24 * 3600;
    static final Set<String> CREATE_FIELDS = Set.of("name", "scopes", "owner", "expiresAt",
            Validation.RATE_LIMIT, Validation.ALLOWED_ADDRESSES);
    static final Set<String> PATCH_FIELDS = Set.of("name", "scopes", Validation.RATE_LIMIT,
            Validation.ALLOWED_ADDRESSES);

    @Inject
    private StoreWrites writes;

    @Inject
    private TokenViews views;

    @Inject
    private TenantStore tenants;

    @Context
    private SecurityContext security;

    @Context
    private UriInfo uri;

    @PathParam("slug")
    private String slug;

    @POST
    public Response create(String body) {
        AdminCaller caller = tenantCaller();
        JsonInput input = JsonInput.parse(body, CREATE_FIELDS);
        TokenDetails details = details(input, Instant.now());
        TokenLimits limits = Optional.ofNullable(Validation.limits(input, TokenLimits.NONE)).orElse(TokenLimits.NONE);
        TokenStore.IssuedToken issued = writes.issue(caller.actor(), slug, details, limits)
                .orElseThrow(() -> TenantResource.noTenant(slug));
        return TokenViews.created(uri.getAbsolutePathBuilder().path(issued.token().getId()).build(), issued);
    }

    /**
     * The tenant's tokens, newest first; with {@code status} only the {@code active}, {@code expired} or
     * {@code revoked} ones, chosen by the database so that every page is full and its cursor stays in the filter.
     */
    @GET
    public Response list(@QueryParam("limit") String limit, @QueryParam("cursor") String cursor,
            @QueryParam("status") String status) {
        requireTenant();
        return views.list(slug, limit, cursor, status, uri);
    }

    @GET
    @Path("{id}")
    public String get(@PathParam("id") String id) {
        requireTenant();
        return views.get(slug, id);
    }

    /**
     * The access tokens this secret obtained at {@code /keygate/oauth2/token}, newest first (never their
     * plaintext), each as the secret lets it be now: {@code revoked} once the secret is revoked, {@code expired}
     * once its rotation's grace ended, with no more scopes than it has.
     */
    @GET
    @Path("{id}/access-tokens")
    public Response accessTokens(@PathParam("id") String id, @QueryParam("limit") String limit,
            @QueryParam("cursor") String cursor) {
        requireTenant();
        return views.accessTokens(slug, id, limit, cursor, uri);
    }

    /**
     * Changes a token's {@code name}, {@code scopes}, {@code rateLimit} or {@code allowedAddresses}; the very next
     * request with the token, or with an access token it issued, sees the change. Owner and expiry are fixed:
     * rotate to change them. An access token is {@code 409}: it follows its secret, so change the secret.
     */
    @PATCH
    @Path("{id}")
    public String update(@PathParam("id") String id, String body) {
        AdminCaller caller = requireTenant();
        ApiToken current = views.find(slug, id).orElseThrow(() -> noToken(id));
        JsonInput input = JsonInput.parse(body, PATCH_FIELDS);
        TokenChanges changes = new TokenChanges(
                input.string("name").map(n -> Validation.text("name", n)).orElse(null),
                input.stringList("scopes").map(Validation::scopes).orElse(null),
                Validation.limits(input, current.getLimits()));
        ApiToken token = writes.update(caller.actor(), slug, id, changes, String.join(", ", input.fields()))
                .orElseThrow(() -> noToken(id));
        return views.changed(token);
    }

    /** Revoking it again changes nothing, so it neither moves every filter's generation nor is audited. */
    @DELETE
    @Path("{id}")
    public Response revoke(@PathParam("id") String id) {
        AdminCaller caller = requireTenant();
        if (!writes.revoke(caller.actor(), slug, id)) {
            throw noToken(id);
        }
        return Response.noContent().build();
    }

    /**
     * Rotates the token: a new one in the creation format, the old one working for {@code graceSeconds}
     * (default 0, at most {@value #MAX_GRACE_SECONDS}, 30 days) and then expired. The new token keeps the old
     * one's expiry unless the body gives {@code expiresAt}. The old token's access tokens end when it ends. An
     * access token is {@code 409}: a successor of its own would outlive its secret.
     */
    @POST
    @Path("{id}/rotate")
    public Response rotate(@PathParam("id") String id, String body) {
        AdminCaller caller = requireTenant();
        JsonInput input = JsonInput.parse(body, Set.of("graceSeconds", "expiresAt"));
        long grace = input.integer("graceSeconds").orElse(0L);
        if (grace < 0 || grace > MAX_GRACE_SECONDS) {
            throw ApiProblem.badRequest("'graceSeconds' must be from 0 to " + MAX_GRACE_SECONDS);
        }
        Instant expiresAt = Validation.futureExpiry(input.instant("expiresAt").orElse(null), Instant.now());
        TokenStore.IssuedToken issued = writes.rotate(caller.actor(), slug, id, Duration.ofSeconds(grace), expiresAt)
                .orElseThrow(() -> noToken(id));
        return TokenViews.created(uri.getBaseUriBuilder().path("tenants").path(slug).path("tokens")
                .path(issued.token().getId()).build(), issued);
    }

    /** Reads and validates a token request body ({@code name}, {@code scopes}, {@code owner}, {@code expiresAt}). */
    static TokenDetails details(JsonInput input, Instant now) {
        String name = Validation.text("name", input.requiredString("name"));
        Set<String> scopes = Validation.scopes(input.stringList("scopes")
                .orElseThrow(() -> ApiProblem.badRequest("'scopes' is required, such as [\"read\"]")));
        String owner = input.string("owner").map(o -> Validation.text("owner", o)).orElse(null);
        Instant expiresAt = Validation.futureExpiry(input.instant("expiresAt").orElse(null), now);
        return new TokenDetails(name, owner, scopes, expiresAt);
    }

    /**
     * 404 for {@code id}, quoted whole when it looks like a token id ({@code tok_...}), else as an excerpt: the
     * token itself, pasted where its id belongs ({@code DELETE .../tokens/kg_...}), must not come back in the answer.
     */
    static ApiProblem noToken(String id) {
        String shown = TOKEN_ID.matcher(id).matches() ? id : JsonInput.excerpt(id);
        return ApiProblem.notFound("There is no token '" + shown + "' here");
    }

    /** The caller, when it may see this tenant (which may not exist). */
    private AdminCaller tenantCaller() {
        AdminCaller caller = AdminCaller.of(security);
        if (!caller.canAccess(slug)) {
            throw TenantResource.noTenant(slug);
        }
        return caller;
    }

    /** The caller, when it may see this tenant and the tenant exists. */
    private AdminCaller requireTenant() {
        AdminCaller caller = tenantCaller();
        tenants.find(slug).orElseThrow(() -> TenantResource.noTenant(slug));
        return caller;
    }
}
