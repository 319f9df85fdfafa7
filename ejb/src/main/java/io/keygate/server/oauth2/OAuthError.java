package io.keygate.server.oauth2;

/**
 * An error response of the token endpoints, RFC 6749 section 5.2 (also used by RFC 7009 and RFC 7662):
 * {@code {"error": "...", "error_description": "..."}} with the status the RFC gives each code.
 *
 * @param status      400, or 401 for {@code invalid_client}
 * @param error       the RFC 6749 error code
 * @param description what is wrong, for the developer; never a token
 */
record OAuthError(int status, String error, String description) {

    static OAuthError invalidRequest(String description) {
        return new OAuthError(400, "invalid_request", description);
    }

    /** RFC 6749 section 5.2: client authentication failed; 401. */
    static OAuthError invalidClient(String description) {
        return new OAuthError(401, "invalid_client", description);
    }

    static OAuthError invalidGrant(String description) {
        return new OAuthError(400, "invalid_grant", description);
    }

    static OAuthError invalidScope(String description) {
        return new OAuthError(400, "invalid_scope", description);
    }

    static OAuthError unsupportedGrantType(String description) {
        return new OAuthError(400, "unsupported_grant_type", description);
    }
}
