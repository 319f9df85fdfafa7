package io.keygate.server.admin;

import io.keygate.server.service.StoreWrites;
import io.keygate.server.store.AuditStore;
import io.keygate.server.store.Page;
import io.keygate.server.store.Tenant;
import io.keygate.server.store.TenantChanges;
import io.keygate.server.store.TenantStore;
import jakarta.enterprise.context.RequestScoped;
import jakarta.inject.Inject;
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
import java.util.List;
import java.util.Set;

/** {@code /tenants}: create, list, read, rename and switch a tenant's API access on or off. */
@Path("tenants")
@RequestScoped
@Produces(MediaType.APPLICATION_JSON)
public class TenantResource {

    /** The tenant's token lifetime policy in seconds; {@code null} for none. */
    static final String MAX_LIFETIME = "maxTokenLifetimeSeconds";

    @Context
    private UriInfo uri;

    @Context
    private SecurityContext security;

    @Inject
    private TenantStore tenants;

    @Inject
    private AuditStore auditLog;

    @Inject
    private StoreWrites writes;

    @POST
    public Response create(String body) {
        AdminCaller caller = AdminCaller.of(security).requireGlobal("Only a global admin token can create tenants");
        JsonInput input = JsonInput.parse(body, Set.of("slug", "name", MAX_LIFETIME));
        String slug = Validation.slug(input.requiredString("slug"));
        String name = Validation.text("name", input.requiredString("name"));
        Duration lifetime = input.integer(MAX_LIFETIME).map(Validation::maxTokenLifetime).orElse(null);
        Tenant tenant = writes.createTenant(caller.actor(), slug, name, lifetime);
        return Response.created(uri.getAbsolutePathBuilder().path(slug).build())
                .entity(Representations.tenant(tenant).build().toString()).build();
    }

    @GET
    public Response list(@QueryParam("limit") String limit, @QueryParam("cursor") String cursor) {
        int pageSize = Paging.limit(limit);
        var after = Paging.cursor(cursor);
        AdminCaller caller = AdminCaller.of(security);
        Page<Tenant> page = caller.isGlobal() ? tenants.list(pageSize, after)
                : new Page<>(after == null ? tenants.find(caller.tenant()).stream().toList() : List.of(), null);
        return Paging.response(page, Representations::tenant, uri);
    }

    @GET
    @Path("{slug}")
    public String get(@PathParam("slug") String slug) {
        return Representations.tenant(accessible(slug)).build().toString();
    }

    @PATCH
    @Path("{slug}")
    public String update(@PathParam("slug") String slug, String body) {
        accessible(slug);
        JsonInput input = JsonInput.parse(body, Set.of("name", "apiAccessEnabled", MAX_LIFETIME));
        String name = input.string("name").map(n -> Validation.text("name", n)).orElse(null);
        Boolean enabled = input.bool("apiAccessEnabled").orElse(null);
        Duration lifetime = input.integer(MAX_LIFETIME).map(Validation::maxTokenLifetime).orElse(null);
        TenantChanges changes = new TenantChanges(name, enabled, input.present(MAX_LIFETIME), lifetime);
        Tenant tenant = writes.updateTenant(AdminCaller.of(security).actor(), slug, changes,
                String.join(", ", input.fields())).orElseThrow(() -> noTenant(slug));
        return Representations.tenant(tenant).build().toString();
    }

    /** {@code GET /tenants/{slug}/audit}: the tenant's audit log, newest first; the whole log is {@code /audit}. */
    @GET
    @Path("{slug}/audit")
    public Response audit(@PathParam("slug") String slug, @QueryParam("limit") String limit,
            @QueryParam("cursor") String cursor) {
        accessible(slug);
        return Paging.response(auditLog.list(slug, Paging.limit(limit), Paging.cursor(cursor)),
                Representations::auditEvent, uri);
    }

    private Tenant accessible(String slug) {
        if (!AdminCaller.of(security).canAccess(slug)) {
            throw noTenant(slug);
        }
        return tenants.find(slug).orElseThrow(() -> noTenant(slug));
    }

    /**
     * 404 for {@code slug}, quoted whole when it is a slug, else as an excerpt: a token pasted into the path must not
     * come back in the answer (a slug cannot be a token: those have a {@code _}).
     */
    static ApiProblem noTenant(String slug) {
        return ApiProblem.notFound("There is no tenant '" + (Validation.isSlug(slug) ? slug : JsonInput.excerpt(slug))
                + "'");
    }

}
