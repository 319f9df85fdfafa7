package io.keygate.filter;

import io.keygate.token.Scopes;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import java.security.Principal;
import java.util.Set;

/**
 * The request as the application sees it after a valid token: the token's principal, auth type
 * {@value #AUTH_TYPE}, its scopes as roles, and five request attributes.
 *
 * <pre>
 * request.getUserPrincipal().getName();            // "alice" (the owner), or the token's name
 * request.getAuthType();                           // "Bearer"
 * request.isUserInRole("read");                    // true for a read or a write token
 * request.getAttribute(AuthenticatedRequest.TENANT); // "acme"
 * request.getAttribute(AuthenticatedRequest.SUBJECT); // "acme/alice"
 * </pre>
 *
 * <p>The principal's name is free text an admin of the token's tenant chose: an admin of tenant {@code evil} can
 * issue a token for {@code alice}. An application that trusts the name checks {@value #TENANT} as well, or uses
 * {@value #SUBJECT}, which is unique across tenants.
 *
 * <p>{@link #isUserInRole} is true for each granted scope and for {@code read} when {@code write} is granted
 * (the only implication, see {@link Scopes}), and for {@code "**"}, which Servlet 6.0 (programmatic
 * security) defines as "any authenticated user" (no scope can be named {@code **}).
 */
public final class AuthenticatedRequest extends HttpServletRequestWrapper {

    /** {@link #getAuthType()} of a request authenticated by Keygate (RFC 6750 scheme name). */
    public static final String AUTH_TYPE = "Bearer";
    /** Attribute with the tenant's slug, a {@code String}. */
    public static final String TENANT = "keygate.tenant";
    /** Attribute with the admin API's id of the token, a {@code String}. */
    public static final String TOKEN_ID = "keygate.token.id";
    /** Attribute with the token's name, a {@code String}. */
    public static final String TOKEN_NAME = "keygate.token.name";
    /** Attribute with the scopes as granted, an unmodifiable {@code Set<String>} (no implied scopes added). */
    public static final String SCOPES = "keygate.scopes";
    /**
     * Attribute with the tenant-qualified identity, a {@code String}: the tenant's slug, {@code /}, the principal's
     * name ({@link KeygatePrincipal#subject()}). Slugs cannot contain {@code /}, so no two tenants share one, and
     * the tenant is what comes before the first {@code /} (the name may contain more).
     */
    public static final String SUBJECT = "keygate.subject";

    private static final String ANY_AUTHENTICATED_USER = "**";

    private final Principal principal;
    /** The scopes as granted; the implied {@code read} is {@link Scopes#satisfies}'s business, not a copy's. */
    private final Set<String> scopes;

    private AuthenticatedRequest(HttpServletRequest request, VerificationResult.Valid valid) {
        super(request);
        this.principal = valid.principal();
        this.scopes = valid.token().scopes();
    }

    /**
     * Sets the five attributes on {@code request} and wraps it; on public and protected paths alike. Allocates
     * nothing but the wrapper: the principal and the subject come made with the verdict.
     */
    static AuthenticatedRequest authenticate(HttpServletRequest request, VerificationResult.Valid valid) {
        VerifiedToken token = valid.token();
        request.setAttribute(TENANT, token.tenant());
        request.setAttribute(TOKEN_ID, token.tokenId());
        request.setAttribute(TOKEN_NAME, token.tokenName());
        request.setAttribute(SCOPES, token.scopes());
        request.setAttribute(SUBJECT, valid.principal().subject());
        return new AuthenticatedRequest(request, valid);
    }

    @Override
    public Principal getUserPrincipal() {
        return principal;
    }

    @Override
    public String getRemoteUser() {
        return principal.getName();
    }

    @Override
    public String getAuthType() {
        return AUTH_TYPE;
    }

    @Override
    public boolean isUserInRole(String role) {
        return Scopes.satisfies(scopes, role) || ANY_AUTHENTICATED_USER.equals(role);
    }
}
