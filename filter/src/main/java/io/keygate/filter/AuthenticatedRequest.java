package io.keygate.filter;

import io.keygate.token.Scopes;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import java.security.Principal;
import java.util.Set;

/**
 * The request as the application sees it after a valid token: the token's principal, auth type
 * {@value #AUTH_TYPE}, its scopes as roles, and four request attributes.
 *
 * <pre>
 * request.getUserPrincipal().getName();            // "alice" (the owner), or the token's name
 * request.getAuthType();                           // "Bearer"
 * request.isUserInRole("read");                    // true for a read or a write token
 * request.getAttribute(AuthenticatedRequest.TENANT); // "acme"
 * </pre>
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

    private static final String ANY_AUTHENTICATED_USER = "**";

    private final Principal principal;
    /** The scopes as granted; the implied {@code read} is {@link Scopes#satisfies}'s business, not a copy's. */
    private final Set<String> scopes;

    private AuthenticatedRequest(HttpServletRequest request, VerifiedToken token) {
        super(request);
        this.principal = new KeygatePrincipal(token.principal());
        this.scopes = token.scopes();
    }

    /** Sets the four attributes on {@code request} and wraps it. */
    static AuthenticatedRequest authenticate(HttpServletRequest request, VerifiedToken token) {
        request.setAttribute(TENANT, token.tenant());
        request.setAttribute(TOKEN_ID, token.tokenId());
        request.setAttribute(TOKEN_NAME, token.tokenName());
        request.setAttribute(SCOPES, token.scopes());
        return new AuthenticatedRequest(request, token);
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
