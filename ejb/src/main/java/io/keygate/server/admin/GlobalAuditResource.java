package io.keygate.server.admin;

import io.keygate.server.store.AuditStore;
import jakarta.enterprise.context.RequestScoped;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.SecurityContext;
import jakarta.ws.rs.core.UriInfo;

/**
 * {@code GET /audit}: every audit event, including global ones (global admin tokens, failed authentications
 * with unknown tokens), for global admins only. A tenant's own log is {@code GET /tenants/{slug}/audit}
 * ({@link TenantResource#audit}).
 */
@Path("audit")
@RequestScoped
@Produces(MediaType.APPLICATION_JSON)
public class GlobalAuditResource {

    @Inject
    private AuditStore auditLog;

    @GET
    public Response all(@QueryParam("limit") String limit, @QueryParam("cursor") String cursor,
            @Context SecurityContext security, @Context UriInfo uri) {
        AdminCaller.of(security).requireGlobal("Only a global admin token can read the whole audit log");
        return Paging.response(auditLog.list(null, Paging.limit(limit), Paging.cursor(cursor)),
                Representations::auditEvent, uri);
    }
}
