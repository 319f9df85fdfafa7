package io.keygate.server.oauth2;

import io.keygate.bearer.BearerError;
import io.keygate.server.http.ErrorWriter;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.Map;
import java.util.OptionalLong;

/**
 * An error response of the token endpoints, RFC 6749 section 5.2 (also used by RFC 7009 and RFC 7662):
 * {@code {"error": "...", "error_description": "..."}} with the status the RFC gives each code.
 *
 * @param status      400, or 401 for {@code invalid_client}
 * @param error       the RFC 6749 error code
 * @param description what is wrong, for the developer; never a token
 * @param headers     sent with it ({@code Retry-After}, {@code RateLimit-*})
 */
record OAuthError(int status, String error, String description, Map<String, String> headers) {

    OAuthError {
        headers = Map.copyOf(headers);
    }

    /** Without headers of its own. */
    OAuthError(int status, String error, String description) {
        this(status, error, description, Map.of());
    }

    /**
     * The answer a protected WAR's filter gives ({@code address_not_allowed}, {@code rate_limit_exceeded},
     * {@code https_required}), in this format; its body is the same.
     */
    static OAuthError of(BearerError error, Map<String, String> headers) {
        return new OAuthError(error.status(), error.code(), error.description(), headers);
    }

    /** RFC 6585 section 4: this client failed to authenticate too often; retry after {@code seconds}. */
    static OAuthError tooManyFailures(long seconds) {
        return new OAuthError(429, "too_many_requests", "Too many failed client authentications; retry later",
                Map.of(ErrorWriter.RETRY_AFTER, Long.toString(seconds)));
    }

    /** Writes this error ({@link ErrorWriter#oauth}); {@code basicChallenge} after HTTP Basic client credentials. */
    void writeTo(HttpServletResponse response, boolean basicChallenge) throws IOException {
        ErrorWriter.oauth(response, status, error, description, headers, basicChallenge);
    }

    /**
     * Writes {@link #tooManyFailures} when the client must {@code wait}.
     *
     * @return whether the request was refused (the answer is written)
     */
    static boolean throttled(OptionalLong wait, HttpServletResponse response) throws IOException {
        if (wait.isEmpty()) {
            return false;
        }
        tooManyFailures(wait.getAsLong()).writeTo(response, false);
        return true;
    }

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
