package io.keygate.server.access;

import io.keygate.bearer.BearerChallenge;
import io.keygate.bearer.BearerError;
import jakarta.json.Json;
import jakarta.json.JsonObject;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/**
 * Writes a {@link BearerError} from a servlet of {@code keygate.war}, as the filter of a protected WAR answers it:
 * status, the extra headers ({@code Retry-After}, {@code RateLimit-*}), the RFC 6750 section 3 challenge when the
 * error has one (realm {@value #REALM}), {@code Cache-Control: no-store}, and a JSON body: RFC 6750's
 * {@code {"error", "error_description"}} ({@link #json}), or RFC 9457 problem details for the admin API
 * ({@link #problem}, with the same {@code error} as an extension member).
 */
public final class BearerAnswer {

    /** The realm of {@code keygate.war}'s challenges. */
    public static final String REALM = "keygate";

    private BearerAnswer() {
    }

    /** {@code WWW-Authenticate} for {@code error}, or {@code null} when it has no challenge. */
    public static String challenge(BearerError error) {
        return error.challenge() == BearerError.Challenge.NONE ? null
                : error.challenge() == BearerError.Challenge.BARE ? BearerChallenge.of(REALM)
                : BearerChallenge.of(REALM, error);
    }

    /** RFC 6750: {@code {"error": ..., "error_description": ...}}. */
    public static void json(HttpServletResponse response, BearerError error, Map<String, String> headers)
            throws IOException {
        write(response, error, headers, "application/json", Json.createObjectBuilder()
                .add("error", error.code()).add("error_description", error.description()).build());
    }

    /** RFC 9457 section 3: {@code type}, {@code title}, {@code status}, {@code detail}, and {@code error}. */
    public static void problem(HttpServletResponse response, BearerError error, Map<String, String> headers)
            throws IOException {
        write(response, error, headers, "application/problem+json", Json.createObjectBuilder()
                .add("type", "about:blank").add("title", title(error.status())).add("status", error.status())
                .add("detail", error.description()).add("error", error.code()).build());
    }

    private static void write(HttpServletResponse response, BearerError error, Map<String, String> headers,
            String type, JsonObject body) throws IOException {
        response.setStatus(error.status());
        headers.forEach(response::setHeader);
        String challenge = challenge(error);
        if (challenge != null) {
            response.setHeader("WWW-Authenticate", challenge);
        }
        response.setHeader("Cache-Control", "no-store");
        response.setHeader("Pragma", "no-cache");
        byte[] bytes = body.toString().getBytes(StandardCharsets.UTF_8);
        response.setContentType(type);
        response.setContentLength(bytes.length);
        response.getOutputStream().write(bytes);
    }

    private static String title(int status) {
        return switch (status) {
            case 400 -> "Bad Request";
            case 401 -> "Unauthorized";
            case 403 -> "Forbidden";
            case 429 -> "Too Many Requests";
            case 503 -> "Service Unavailable";
            default -> "Error";
        };
    }
}
