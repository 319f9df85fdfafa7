package io.keygate.filter;

import io.keygate.bearer.BearerChallenge;
import io.keygate.bearer.BearerError;
import io.keygate.bearer.BearerErrors;

import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/**
 * Sends a {@link BearerError}: status, {@code WWW-Authenticate} when the error has a challenge,
 * {@code Retry-After} on a 503, and a small JSON body.
 *
 * <pre>
 * HTTP/1.1 401
 * WWW-Authenticate: Bearer realm="/sample", error="invalid_token", error_description="The access token is invalid"
 * Content-Type: application/json
 * Cache-Control: no-store
 * Pragma: no-cache
 *
 * {"error":"invalid_token","error_description":"The access token is invalid"}
 * </pre>
 *
 * <p>{@code Cache-Control: no-store} and {@code Pragma: no-cache} keep an answer about credentials out of
 * every cache (RFC 6749 section 5.1 asks the same of token responses). The body is built from constants and
 * the bytes are the same for the same error, so two invalid tokens cannot be told apart by their answers.
 */
final class ErrorResponseWriter {

    static final String WWW_AUTHENTICATE = "WWW-Authenticate";
    static final String RETRY_AFTER = "Retry-After";
    static final String CONTENT_TYPE = "application/json";

    private final String realm;

    /** @param realm the realm of every challenge, already checked by {@link FilterSettings} */
    ErrorResponseWriter(String realm) {
        if (!BearerChallenge.isValidParameterValue(realm)) {
            throw new IllegalArgumentException("a realm must be printable ASCII without \" and \\");
        }
        this.realm = realm;
    }

    /** Writes the whole answer; the response is committed afterwards. */
    void write(HttpServletResponse response, BearerError error) throws IOException {
        write(response, error, Map.of());
    }

    /** Writes the answer with extra headers ({@code Retry-After} of a 429, the {@code RateLimit-*} headers). */
    void write(HttpServletResponse response, BearerError error, Map<String, String> headers) throws IOException {
        response.setStatus(error.status());
        headers.forEach(response::setHeader);
        String challenge = BearerChallenge.of(realm, error);
        if (challenge != null) {
            response.setHeader(WWW_AUTHENTICATE, challenge);
        }
        if (error.status() == HttpServletResponse.SC_SERVICE_UNAVAILABLE) {
            response.setHeader(RETRY_AFTER, Integer.toString(BearerErrors.RETRY_AFTER_SECONDS));
        }
        response.setHeader("Cache-Control", "no-store");
        response.setHeader("Pragma", "no-cache");
        byte[] body = body(error).getBytes(StandardCharsets.UTF_8);
        response.setContentType(CONTENT_TYPE);
        response.setContentLength(body.length);
        response.getOutputStream().write(body);
        response.flushBuffer();
    }

    /** {@code {"error":"...","error_description":"..."}}. */
    static String body(BearerError error) {
        return "{\"error\":" + json(error.code()) + ",\"error_description\":" + json(error.description()) + "}";
    }

    /** A JSON string literal (RFC 8259 section 7). */
    static String json(String value) {
        StringBuilder out = new StringBuilder(value.length() + 2).append('"');
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c == '"' || c == '\\') {
                out.append('\\').append(c);
            } else if (c < 0x20 || c > 0x7e) {
                out.append(String.format("\\u%04x", (int) c));
            } else {
                out.append(c);
            }
        }
        return out.append('"').toString();
    }
}
