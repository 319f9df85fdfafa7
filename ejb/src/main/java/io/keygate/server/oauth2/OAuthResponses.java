package io.keygate.server.oauth2;

import jakarta.json.JsonObject;
import jakarta.json.Json;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;

/**
 * Writes the JSON answers of the token endpoints. Every answer carries {@code Cache-Control: no-store} and
 * {@code Pragma: no-cache} (RFC 6749 section 5.1): they may hold a token, and must never be cached.
 */
final class OAuthResponses {

    private OAuthResponses() {
    }

    static void json(HttpServletResponse response, int status, JsonObject body) throws IOException {
        response.setStatus(status);
        response.setHeader("Cache-Control", "no-store");
        response.setHeader("Pragma", "no-cache");
        response.setContentType("application/json");
        byte[] bytes = body.toString().getBytes(StandardCharsets.UTF_8);
        response.setContentLength(bytes.length);
        response.getOutputStream().write(bytes);
    }

    /** The store could not answer: 503 with {@code Retry-After}, never a 400 or 401 the client would act on. */
    static void unavailable(HttpServletResponse response) throws IOException {
        response.setHeader("Retry-After", "5");
        error(response, new OAuthError(503, "temporarily_unavailable", "The token store is unavailable; retry later"),
                false);
    }

    /** RFC 6749 section 5.2; a 401 after HTTP Basic also challenges for Basic, as that section requires. */
    static void error(HttpServletResponse response, OAuthError error, boolean basicChallenge) throws IOException {
        error.headers().forEach(response::setHeader);
        if (error.status() == 401 && basicChallenge) {
            response.setHeader("WWW-Authenticate", "Basic realm=\"keygate\", charset=\"UTF-8\"");
        }
        json(response, error.status(), Json.createObjectBuilder()
                .add("error", error.error())
                .add("error_description", error.description())
                .build());
    }
}
