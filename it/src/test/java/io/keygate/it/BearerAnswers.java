package io.keygate.it;

import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import jakarta.json.JsonObject;
import jakarta.json.JsonValue;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Assertions on what the filter answers, after docs/filter.md, "Answers" (RFC 6750): one place that knows
 * what a bare challenge and an error challenge look like.
 */
final class BearerAnswers {

    private BearerAnswers() {
    }

    /** 401 with {@code Bearer realm="<realm>"} and nothing else: no credentials were offered (RFC 6750 §3.1). */
    static void assertBareChallenge(HttpResponse<String> response, String realm) {
        assertEquals(401, response.statusCode(), () -> "status, body: " + response.body());
        Challenge challenge = Challenge.parse(singleChallenge(response));
        assertAll(
                () -> assertEquals("Bearer", challenge.scheme(), "scheme"),
                () -> assertEquals(Map.of("realm", realm), challenge.params(), "challenge parameters"),
                () -> assertErrorBody(response, null));
    }

    /**
     * {@code status} with {@code Bearer realm="<realm>", error="<error>", error_description="…"}; the README's
     * {@code insufficient_scope} challenge names the {@code scope} instead, so its description is optional.
     */
    static Challenge assertBearerError(HttpResponse<String> response, int status, String error, String realm) {
        assertEquals(status, response.statusCode(), () -> "status, body: " + response.body());
        Challenge challenge = Challenge.parse(singleChallenge(response));
        assertAll(
                () -> assertEquals("Bearer", challenge.scheme(), "scheme"),
                () -> assertEquals(realm, challenge.params().get("realm"), "realm"),
                () -> assertEquals(error, challenge.params().get("error"), "error in " + challenge),
                () -> assertDescription(challenge.params().get("error_description"),
                        !"insufficient_scope".equals(error)),
                () -> assertErrorBody(response, error));
        return challenge;
    }

    /**
     * A JSON body {@code {"error", "error_description"}} with {@code Cache-Control: no-store}; {@code error} is
     * checked when not null.
     */
    static void assertErrorBody(HttpResponse<String> response, String error) {
        String contentType = KeygateIT.header(response, "Content-Type");
        assertNotNull(contentType, "Content-Type");
        assertTrue(contentType.toLowerCase(Locale.ROOT).startsWith("application/json"), "Content-Type " + contentType);
        String cacheControl = String.join(",", response.headers().allValues("Cache-Control"));
        assertTrue(cacheControl.toLowerCase(Locale.ROOT).contains("no-store"), "Cache-Control: " + cacheControl);
        JsonObject body = KeygateIT.object(response);
        assertEquals(JsonValue.ValueType.STRING, valueType(body, "error"), () -> "error in " + body);
        assertEquals(JsonValue.ValueType.STRING, valueType(body, "error_description"), () -> "error_description in " + body);
        assertFalse(body.getString("error_description").isBlank(), () -> "error_description in " + body);
        if (error != null) {
            assertEquals(error, body.getString("error"), () -> "error in " + body);
        }
    }

    /** No header and no body of {@code response} contains {@code token}. */
    static void assertNoTokenIn(HttpResponse<String> response, String token) {
        assertFalse(response.body().contains(token), () -> "the token is in the body: " + response.body());
        response.headers().map().forEach((name, values) -> values.forEach(value ->
                assertFalse(value.contains(token), () -> "the token is in header " + name)));
    }

    private static String singleChallenge(HttpResponse<String> response) {
        List<String> challenges = response.headers().allValues("WWW-Authenticate");
        assertEquals(1, challenges.size(), () -> "WWW-Authenticate headers: " + challenges);
        return challenges.get(0);
    }

    /** RFC 6750 §3: error_description uses only %x20-21 / %x23-5B / %x5D-7E. */
    private static void assertDescription(String description, boolean required) {
        if (description == null && !required) {
            return;
        }
        assertNotNull(description, "error_description");
        assertFalse(description.isBlank(), "error_description");
        assertTrue(description.chars().allMatch(c -> c >= 0x20 && c <= 0x7E && c != '"' && c != '\\'),
                () -> "error_description characters: " + description);
    }

    private static JsonValue.ValueType valueType(JsonObject body, String name) {
        JsonValue value = body.get(name);
        return value == null ? null : value.getValueType();
    }
}
