package io.keygate.server.admin;

import io.keygate.server.KeygateRuntime;
import io.keygate.server.store.AuditEvent;
import jakarta.enterprise.context.RequestScoped;
import jakarta.inject.Inject;
import jakarta.json.Json;
import jakarta.json.JsonObjectBuilder;
import jakarta.json.JsonValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.SecurityContext;
import jakarta.ws.rs.core.UriInfo;

/**
 * {@code GET /tenants/{slug}/audit}: a tenant's audit log, for its admins, newest first, paged like every
 * listing. The whole log is {@link GlobalAuditResource}.
 */
@Path("tenants/{slug}/audit")
@RequestScoped
@Produces(MediaType.APPLICATION_JSON)
public class AuditResource {

    @Inject
    private KeygateRuntime runtime;

    @Context
    private SecurityContext security;

    @Context
    private UriInfo uri;

    @GET
    public Response tenant(@PathParam("slug") String slug, @QueryParam("limit") String limit,
            @QueryParam("cursor") String cursor) {
        if (!((AdminCaller) security.getUserPrincipal()).canAccess(slug)) {
            throw TenantResource.noTenant(slug);
        }
        runtime.tenants().find(slug).orElseThrow(() -> TenantResource.noTenant(slug));
        return Paging.response(runtime.auditLog().list(slug, Paging.limit(limit), Paging.cursor(cursor)),
                AuditResource::json, uri);
    }

    static JsonObjectBuilder json(AuditEvent event) {
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

    private static JsonValue text(String value) {
        return value == null ? JsonValue.NULL : Json.createValue(value);
    }
}
