package io.keygate.server.oauth2;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;

/**
 * Refuses a credential in the query string of every request under {@code /oauth2/}, whatever its method and before
 * any bearer token is looked at: called by {@code TransportFilter}, so the container's {@code 405} for a
 * {@code GET} and introspection's {@code 401} for a missing bearer never answer first. Logs and proxies have kept
 * the URL already (RFC 6749 section 2.3.1, OWASP ASVS 5.0 14.2.1); the client must learn that, as the RFC 6749
 * section 5.2 error {@code 400 invalid_request}, not that its method or bearer is wrong. The names and their
 * decoding are {@link FormRequest#refuseCredentialsIn}'s.
 */
public final class QueryCredentials {

    /** The token endpoints' path inside {@code keygate.war}. */
    static final String OAUTH2 = "/oauth2/";

    private QueryCredentials() {
    }

    /** Whether the request was refused (the answer is written); otherwise it may go on. */
    public static boolean refused(HttpServletRequest request, HttpServletResponse response) throws IOException {
        if (!isOAuth2(request.getServletPath(), request.getPathInfo())) {
            return false;
        }
        try {
            FormRequest.refuseCredentialsIn(request.getQueryString());
            return false;
        } catch (OAuthException e) {
            e.error().writeTo(response, false);
            return true;
        }
    }

    /** The container's decoded, normalised path, so that no encoding of {@code /oauth2/} slips past. */
    static boolean isOAuth2(String servletPath, String pathInfo) {
        String path = (servletPath == null ? "" : servletPath) + (pathInfo == null ? "" : pathInfo);
        return path.startsWith(OAUTH2);
    }
}
