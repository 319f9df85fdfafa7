package io.keygate.server.admin;

import io.keygate.server.access.BearerCaller;
import io.keygate.server.access.ClientAddress;
import io.keygate.server.http.ErrorWriter;
import io.keygate.server.store.ApiToken;
import io.keygate.token.Scopes;
import jakarta.annotation.Priority;
import jakarta.inject.Inject;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.ws.rs.Priorities;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerRequestFilter;
import jakarta.ws.rs.container.ContainerResponseContext;
import jakarta.ws.rs.container.ContainerResponseFilter;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.SecurityContext;
import jakarta.ws.rs.ext.Provider;
import java.security.Principal;
import java.util.List;
import java.util.Map;

/**
 * Lets a request into the admin API only with a bearer token that has the {@code admin} scope, as
 * {@link BearerCaller} decides for every endpoint of {@code keygate.war} (header rules, access tokens refused, the
 * token's address allowlist and rate limit); the answer is RFC 9457 problem+json here, with the challenge and the
 * {@code Retry-After} and {@code RateLimit-*} headers the filter of a protected WAR would send.
 *
 * <p>A valid admin token becomes the request's {@link AdminCaller}: global, or bound to its tenant.
 */
@Provider
@Priority(Priorities.AUTHENTICATION)
public class AdminAuthentication implements ContainerRequestFilter, ContainerResponseFilter {

    /** Request property holding the {@code RateLimit-*} headers of an admitted request, for its answer. */
    private static final String LIMIT_HEADERS = AdminAuthentication.class.getName() + ".headers";

    @Inject
    private BearerCaller callers;

    @Context
    private HttpServletRequest request;

    @Override
    public void filter(ContainerRequestContext context) {
        BearerCaller.Check check = callers.check(request, List.of(Scopes.ADMIN));
        if (check instanceof BearerCaller.Refused refused) {
            context.abortWith(ErrorWriter.bearerProblem(refused.error(), refused.headers()));
            return;
        }
        BearerCaller.Admitted admitted = (BearerCaller.Admitted) check;
        context.setProperty(LIMIT_HEADERS, admitted.headers());
        ApiToken admin = admitted.token();
        context.setSecurityContext(new AdminSecurity(new AdminCaller(admin.getId(), admin.getTenantSlug(),
                ClientAddress.of(request).key()),
                context.getSecurityContext().isSecure()));
    }

    /** Adds the {@code RateLimit-*} headers to the answer of an admitted request. */
    @Override
    public void filter(ContainerRequestContext requestContext, ContainerResponseContext responseContext) {
        if (requestContext.getProperty(LIMIT_HEADERS) instanceof Map<?, ?> headers) {
            headers.forEach((name, value) -> responseContext.getHeaders().putSingle((String) name, value));
        }
    }

    /** The admin caller as the JAX-RS security context resources read it. */
    private record AdminSecurity(AdminCaller caller, boolean secure) implements SecurityContext {

        @Override
        public Principal getUserPrincipal() {
            return caller;
        }

        @Override
        public boolean isUserInRole(String role) {
            return Scopes.ADMIN.equals(role);
        }

        @Override
        public boolean isSecure() {
            return secure;
        }

        @Override
        public String getAuthenticationScheme() {
            return "Bearer";
        }
    }
}
