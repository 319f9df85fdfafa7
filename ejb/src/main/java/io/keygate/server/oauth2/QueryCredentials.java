package io.keygate.server.oauth2;

import io.keygate.server.http.ErrorWriter;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;

/**
 * Refuses a credential in the query string of every request to {@code keygate.war} (the token endpoints, the admin
 * API, the verifier binding), whatever its method and before any bearer token is looked at: called by
 * {@code TransportFilter}, so the container's {@code 405} for a {@code GET} and a {@code 401} for a missing bearer
 * never answer first. Logs and proxies have kept
 * the URL already (RFC 6749 section 2.3.1, OWASP ASVS 5.0 14.2.1); the client must learn that, as the RFC 6749
 * section 5.2 error {@code 400 invalid_request}, not that its method or bearer is wrong. The names and their
 * decoding are {@link FormRequest#refuseCredentialsIn}'s.
 */
public final class QueryCredentials {

    private QueryCredentials() {
    }

    /**
     * Whether the request was refused (the answer is written); otherwise it may go on.
     *
     * @param problem whether the answer is RFC 9457 problem+json (the admin API) rather than an RFC 6749 error
     */
    public static boolean refused(HttpServletRequest request, HttpServletResponse response, boolean problem)
            throws IOException {
        try {
            FormRequest.refuseCredentialsIn(request.getQueryString());
            return false;
        } catch (OAuthException e) {
            if (problem) {
                ErrorWriter.problem(response, e.error().status(), e.error().description(), e.error().error());
            } else {
                e.error().writeTo(response, false);
            }
            return true;
        }
    }
}
