package io.keygate.server.admin;

import io.keygate.server.service.StoreWrites;
import io.keygate.server.store.TokenDetails;
import io.keygate.server.store.TokenLimits;
import io.keygate.server.store.TokenStore;
import io.keygate.token.Scopes;
import jakarta.enterprise.context.RequestScoped;
import jakarta.inject.Inject;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
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
import java.time.Instant;
import java.util.Set;

/**
 * {@code /admin-tokens}: global admin tokens, for global admins only. A new one always has exactly the
 * {@code admin} scope; {@code name}, {@code owner} and {@code expiresAt} are the caller's to choose.
 *
 * <p>{@code "scopes": ["introspect", "report"]} makes the global token a filter in remote mode needs
 * ({@code keygate.remote.token}), with no right to the admin API: {@code introspect} reads (introspection, and
 * {@code verify}, {@code subscribe}, {@code changesSince} at {@code /keygate/verifier}), {@code report} hands over
 * usage counts and failure summaries ({@code recordUsage}, {@code recordFailures}). Global tokens can have no
 * other scopes: they are never accepted by a protected application.
 */
@Path("admin-tokens")
@RequestScoped
@Produces(MediaType.APPLICATION_JSON)
public class AdminTokenResource {

    /** What a global token may hold. */
    static final Set<String> GLOBAL_SCOPES = Set.of(Scopes.ADMIN, Scopes.INTROSPECT, Scopes.REPORT);

    private static final String GLOBAL_ONLY = "Only a global admin token can manage global admin tokens";

    @Inject
    private StoreWrites writes;

    @Inject
    private TokenViews views;

    @Context
    private SecurityContext security;

    @Context
    private UriInfo uri;

    @POST
    public Response create(String body) {
        AdminCaller caller = AdminCaller.of(security).requireGlobal(GLOBAL_ONLY);
        JsonInput input = JsonInput.parse(body, Set.of("name", "owner", "expiresAt", "scopes"));
        TokenDetails details = new TokenDetails(Validation.text("name", input.requiredString("name")),
                input.string("owner").map(o -> Validation.text("owner", o)).orElse(null),
                globalScopes(input), Validation.futureExpiry(input.instant("expiresAt").orElse(null), Instant.now()));
        TokenStore.IssuedToken issued = writes.issue(caller.actor(), null, details, TokenLimits.NONE).orElseThrow();
        return TokenViews.created(uri.getAbsolutePathBuilder().path(issued.token().getId()).build(), issued);
    }

    /** The global scopes: {@code admin} unless the body asks for others among {@link #GLOBAL_SCOPES}. */
    private static Set<String> globalScopes(JsonInput input) {
        Set<String> scopes = input.stringList("scopes").map(Validation::scopes).orElse(Set.of(Scopes.ADMIN));
        if (!GLOBAL_SCOPES.containsAll(scopes)) {
            throw ApiProblem.badRequest("a global token's 'scopes' may hold only \"admin\", \"introspect\" and"
                    + " \"report\"");
        }
        return scopes;
    }

    @GET
    public Response list(@QueryParam("limit") String limit, @QueryParam("cursor") String cursor) {
        AdminCaller.of(security).requireGlobal(GLOBAL_ONLY);
        return views.list(null, limit, cursor, null, uri);
    }

    @GET
    @Path("{id}")
    public String get(@PathParam("id") String id) {
        AdminCaller.of(security).requireGlobal(GLOBAL_ONLY);
        return views.get(null, id);
    }

    /** Revoking it again changes nothing, so it neither moves every filter's generation nor is audited. */
    @DELETE
    @Path("{id}")
    public Response revoke(@PathParam("id") String id) {
        AdminCaller caller = AdminCaller.of(security).requireGlobal(GLOBAL_ONLY);
        if (!writes.revoke(caller.actor(), null, id)) {
            throw TokenResource.noToken(id);
        }
        return Response.noContent().build();
    }
}
