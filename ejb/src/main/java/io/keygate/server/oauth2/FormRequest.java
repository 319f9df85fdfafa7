package io.keygate.server.oauth2;

import jakarta.servlet.http.HttpServletRequest;
import java.util.Optional;
import java.util.Set;

/**
 * The form parameters of a token-endpoint request (RFC 6749 section 3.2: {@code application/x-www-form-urlencoded}
 * POST body). Parameters that carry a secret are refused in the query string, where logs and proxies keep
 * them (RFC 6749 section 2.3.1, OWASP ASVS 5.0 14.2.1), and a parameter may appear only once (section 3.1).
 */
final class FormRequest {

    private static final Set<String> SECRETS = Set.of("client_secret", "password", "token");

    private final HttpServletRequest request;

    private FormRequest(HttpServletRequest request) {
        this.request = request;
    }

    /** The request's form, or the error that says why it is not one. */
    static FormRequest of(HttpServletRequest request) throws OAuthException {
        String type = request.getContentType();
        if (type == null || !type.toLowerCase(java.util.Locale.ROOT).startsWith("application/x-www-form-urlencoded")) {
            throw new OAuthException(OAuthError.invalidRequest(
                    "The body must be application/x-www-form-urlencoded (RFC 6749 section 3.2)"));
        }
        String query = request.getQueryString();
        if (query != null) {
            for (String pair : query.split("&")) {
                if (SECRETS.contains(pair.split("=", 2)[0])) {
                    throw new OAuthException(OAuthError.invalidRequest("Credentials must not be sent in the URL"));
                }
            }
        }
        return new FormRequest(request);
    }

    /** The single value of {@code name}, or empty when absent or blank. */
    Optional<String> get(String name) throws OAuthException {
        String[] values = request.getParameterValues(name);
        if (values == null || values.length == 0 || values[0].isBlank()) {
            return Optional.empty();
        }
        if (values.length > 1) {
            throw new OAuthException(OAuthError.invalidRequest("'" + name + "' must appear once"));
        }
        return Optional.of(values[0]);
    }

    String required(String name) throws OAuthException {
        return get(name).orElseThrow(() -> new OAuthException(OAuthError.invalidRequest("'" + name + "' is required")));
    }

    HttpServletRequest servletRequest() {
        return request;
    }
}
