package io.keygate.server.admin;

import io.keygate.server.KeygateRuntime;
import io.keygate.server.access.ClientAddress;
import io.keygate.server.store.ApiToken;
import io.keygate.server.store.TokenChanges;
import io.keygate.server.store.TokenDetails;
import io.keygate.server.store.TokenLimits;
import io.keygate.server.store.TokenStore;
import jakarta.enterprise.context.RequestScoped;
import jakarta.inject.Inject;
import jakarta.servlet.http.HttpServletRequest;
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
import java.util.TreeSet;
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
    private KeygateRuntime runtime;

    @Context
    private SecurityContext security;

    @Context
    private UriInfo uri;

    @Context
    private HttpServletRequest request;

    @PathParam("slug")
    private String slug;

    @POST
    public Response create(String body) {
        requireTenantAccess();
        JsonInput input = JsonInput.parse(body, CREATE_FIELDS);
        TokenDetails details = details(input, Instant.now());
        TokenLimits limits = Optional.ofNullable(Validation.limits(input, TokenLimits.NONE)).orElse(TokenLimits.NONE);
        TokenStore.IssuedToken issued = tokens().issue(slug, details, limits)
                .orElseThrow(() -> TenantResource.noTenant(slug));
        audit("token.create", issued.token().getId(), "scopes=" + String.join(" ", new TreeSet<>(details.scopes())));
        return Response.created(uri.getAbsolutePathBuilder().path(issued.token().getId()).build())
                .header("Cache-Control", "no-store")
                .entity(Representations.created(issued.token(), issued.plaintext(), Instant.now()).build().toString())
                .build();
    }

    @GET
    public Response list(@QueryParam("limit") String limit, @QueryParam("cursor") String cursor) {
        requireTenant();
        Instant now = Instant.now();
        int pageSize = Paging.limit(limit);
        var after = Paging.cursor(cursor);
        return runtime.usage().consistently(() -> Paging.response(tokens().list(slug, pageSize, after),
                token -> Representations.token(token, runtime.usage().pending(token.getId()), now), uri));
    }

    @GET
    @Path("{id}")
    public String get(@PathParam("id") String id) {
        requireTenant();
        return runtime.usage().consistently(() -> {
            ApiToken token = tokens().find(slug, id).orElseThrow(() -> noToken(id));
            // An access token is shown as its secret lets it be now: revoked with it, expired with it.
            ApiToken secret = token.getParentId() == null ? null
                    : tokens().find(slug, token.getParentId()).orElse(null);
            return Representations.token(token, secret, runtime.usage().pending(id), Instant.now()).build().toString();
        });
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
        int pageSize = Paging.limit(limit);
        var after = Paging.cursor(cursor);
        return runtime.usage().consistently(() -> {
            ApiToken secret = tokens().find(slug, id).orElseThrow(() -> noToken(id));
            Instant now = Instant.now();
            return Paging.response(runtime.accessTokens().listIssuedBy(id, pageSize, after),
                    token -> Representations.token(token, secret, runtime.usage().pending(token.getId()), now), uri);
        });
    }

    /**
     * Changes a token's {@code name}, {@code scopes}, {@code rateLimit} or {@code allowedAddresses}; the very next
     * request with the token, or with an access token it issued, sees the change. Owner and expiry are fixed:
     * rotate to change them. An access token is {@code 409}: it follows its secret, so change the secret.
     */
    @PATCH
    @Path("{id}")
    public String update(@PathParam("id") String id, String body) {
        requireTenant();
        ApiToken current = tokens().find(slug, id).orElseThrow(() -> noToken(id));
        JsonInput input = JsonInput.parse(body, PATCH_FIELDS);
        TokenChanges changes = new TokenChanges(
                input.string("name").map(n -> Validation.text("name", n)).orElse(null),
                input.stringList("scopes").map(Validation::scopes).orElse(null),
                Validation.limits(input, current.getLimits()));
        ApiToken token = tokens().update(slug, id, changes).orElseThrow(() -> noToken(id));
        runtime.changes().secretChanged(token.getHash(), id);
        audit("token.update", id, String.join(", ", input.fields()));
        return runtime.usage().consistently(() ->
                Representations.token(token, runtime.usage().pending(id), Instant.now()).build().toString());
    }

    @DELETE
    @Path("{id}")
    public Response revoke(@PathParam("id") String id) {
        requireTenant();
        TokenStore.Revocation revocation = tokens().revoke(slug, id).orElseThrow(() -> noToken(id));
        if (revocation.changed()) {
            // Revoking it again changes nothing, so it neither moves every filter's generation nor is audited.
            runtime.changes().secretChanged(revocation.token().getHash(), id);
            audit("token.revoke", id, null);
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
        requireTenant();
        JsonInput input = JsonInput.parse(body, Set.of("graceSeconds", "expiresAt"));
        long grace = input.integer("graceSeconds").orElse(0L);
        if (grace < 0 || grace > MAX_GRACE_SECONDS) {
            throw ApiProblem.badRequest("'graceSeconds' must be from 0 to " + MAX_GRACE_SECONDS);
        }
        Instant expiresAt = Validation.futureExpiry(input.instant("expiresAt").orElse(null), Instant.now());
        String oldHash = tokens().find(slug, id).orElseThrow(() -> noToken(id)).getHash();
        TokenStore.IssuedToken issued = tokens().rotate(slug, id, Duration.ofSeconds(grace), expiresAt)
                .orElseThrow(() -> noToken(id));
        runtime.changes().secretChanged(oldHash, id);
        audit("token.rotate", id, "replacedBy=" + issued.token().getId() + ", graceSeconds=" + grace);
        return Response.created(uri.getBaseUriBuilder().path("tenants").path(slug).path("tokens")
                        .path(issued.token().getId()).build())
                .header("Cache-Control", "no-store")
                .entity(Representations.created(issued.token(), issued.plaintext(), Instant.now()).build().toString())
                .build();
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

    private void audit(String action, String target, String detail) {
        String actor = ((AdminCaller) security.getUserPrincipal()).tokenId();
        runtime.audit().record(slug, actor, action, target, ClientAddress.of(request).key(), detail);
    }

    private void requireTenantAccess() {
        if (!((AdminCaller) security.getUserPrincipal()).canAccess(slug)) {
            throw TenantResource.noTenant(slug);
        }
    }

    private void requireTenant() {
        requireTenantAccess();
        runtime.tenants().find(slug).orElseThrow(() -> TenantResource.noTenant(slug));
    }

    private TokenStore tokens() {
        return runtime.tokens();
    }
}
