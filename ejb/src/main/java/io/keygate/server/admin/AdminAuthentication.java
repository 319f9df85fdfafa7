package io.keygate.server.admin;

import io.keygate.filter.BearerChallenge;
import io.keygate.filter.BearerError;
import io.keygate.filter.BearerErrors;
import io.keygate.filter.BearerResolution;
import io.keygate.filter.BearerTokenResolver;
import io.keygate.server.KeygateRuntime;
import io.keygate.server.store.ApiToken;
import io.keygate.server.store.Verification;
import io.keygate.token.Scopes;
import io.keygate.token.TokenHash;
import jakarta.annotation.Priority;
import jakarta.inject.Inject;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.ws.rs.Priorities;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerRequestFilter;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.SecurityContext;
import jakarta.ws.rs.ext.Provider;
import java.security.Principal;
import java.time.Instant;

/**
 * Lets a request into the admin API only with a bearer token that has the {@code admin} scope. Header rules
 * and challenges are the filter jar's ({@link BearerTokenResolver}, {@link BearerChallenge}), so the admin API
 * and protected applications answer a bad header the same way; the body is RFC 9457 problem+json here.
 *
 * <p>A token without {@code admin} is 403 {@code insufficient_scope}. A valid admin token becomes the
 * request's {@link AdminCaller}: global, or bound to its tenant.
 */
@Provider
@Priority(Priorities.AUTHENTICATION)
public class AdminAuthentication implements ContainerRequestFilter {

    /** The realm of the admin API's challenges. */
    static final String REALM = "keygate";

    private final BearerTokenResolver resolver = new BearerTokenResolver();

    @Inject
    private KeygateRuntime runtime;

    @Context
    private HttpServletRequest request;

    @Override
    public void filter(ContainerRequestContext context) {
        BearerResolution resolution = resolver.resolve(request);
        if (resolution instanceof BearerResolution.Absent) {
            context.abortWith(challenge(BearerErrors.TOKEN_REQUIRED_ERROR, "An admin token is required:"
                    + " send Authorization: Bearer <token>"));
            return;
        }
        if (resolution instanceof BearerResolution.Malformed malformed) {
            context.abortWith(challenge(BearerErrors.invalidRequest(malformed.description()), malformed.description()));
            return;
        }
        String token = ((BearerResolution.Token) resolution).value();
        Verification verification = runtime.tokens().verify(TokenHash.of(token));
        if (!(verification instanceof Verification.Valid)) {
            runtime.failures().failed(null, token, request.getRemoteAddr());
        }
        if (verification instanceof Verification.Expired) {
            context.abortWith(challenge(BearerErrors.EXPIRED_TOKEN_ERROR, "The admin token expired"));
            return;
        }
        if (!(verification instanceof Verification.Valid valid)) {
            context.abortWith(challenge(BearerErrors.INVALID_TOKEN_ERROR, "The admin token is invalid"));
            return;
        }
        ApiToken admin = valid.token();
        runtime.usage().record(admin.getId(), Instant.now());
        if (!valid.scopes().contains(Scopes.ADMIN)) {
            context.abortWith(challenge(BearerErrors.insufficientScope(Scopes.ADMIN),
                    "The token does not have the admin scope"));
            return;
        }
        context.setSecurityContext(new AdminSecurity(new AdminCaller(admin.getId(), admin.getTenantSlug()),
                context.getSecurityContext().isSecure()));
    }

    private static Response challenge(BearerError error, String detail) {
        Response.ResponseBuilder response = Problems.response(error.status(), detail);
        if (error.challenge() == BearerError.Challenge.BARE) {
            response.header("WWW-Authenticate", BearerChallenge.of(REALM));
        } else if (error.challenge() == BearerError.Challenge.WITH_ERROR) {
            response.header("WWW-Authenticate", BearerChallenge.of(REALM, error));
        }
        return response.build();
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
