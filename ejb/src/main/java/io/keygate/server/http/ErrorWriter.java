package io.keygate.server.http;

import io.keygate.bearer.BearerChallenge;
import io.keygate.bearer.BearerError;
import io.keygate.bearer.BearerErrors;
import jakarta.json.Json;
import jakarta.json.JsonObject;
import jakarta.json.JsonObjectBuilder;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.ws.rs.core.Response;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/**
 * Writes every error answer of {@code keygate.war}, so that a status, a body shape or a header is decided in one
 * place, as the filter of a protected WAR decides its own:
 *
 * <ul>
 * <li>RFC 9457 problem details ({@code type}, {@code title}, {@code status}, {@code detail}, section 3.1) for the
 * admin API and the verifier binding, with the code of a bearer refusal as the extension member {@code error}
 * (section 3.2);</li>
 * <li>RFC 6749 section 5.2 JSON ({@code {"error", "error_description"}}) for {@code /oauth2/*}, which RFC 6750
 * section 3.1 also uses for a bearer failure;</li>
 * <li>the RFC 6750 section 3 challenge of a bearer failure, realm {@value #REALM}, and the Basic challenge RFC 6749
 * section 5.2 asks for after a client authenticated with HTTP Basic;</li>
 * <li>{@code Retry-After} of {@link BearerErrors#RETRY_AFTER_SECONDS} seconds (RFC 9110 section 10.2.3) when the store cannot
 * answer: 503, never a 400 or 401 the client would act on.</li>
 * </ul>
 * Every answer is {@code Cache-Control: no-store}: it answers a credential. The token endpoints' answers, and the
 * servlet answers the filter's, also carry {@code Pragma: no-cache} (RFC 6749 section 5.1), so the 200 answers of
 * {@code /oauth2/*} are written here too. The JAX-RS side builds a {@link Response}, the servlet side writes.
 */
public final class ErrorWriter {

    /** The realm of every challenge {@code keygate.war} sends. */
    public static final String REALM = "keygate";

    /** The header that tells a client how many seconds to wait (RFC 9110 section 10.2.3). */
    public static final String RETRY_AFTER = "Retry-After";

    /** Seconds a client waits before it retries while the store or the verifier cannot answer: the filter's too. */
    public static final String UNAVAILABLE_RETRY_SECONDS = Integer.toString(BearerErrors.RETRY_AFTER_SECONDS);

    /** RFC 9457 section 3. */
    public static final String PROBLEM_JSON = "application/problem+json";

    private static final String JSON = "application/json";

    private ErrorWriter() {
    }

    /** {@code WWW-Authenticate} for {@code error}, or {@code null} when it has no challenge. */
    public static String challenge(BearerError error) {
        return error.challenge() == BearerError.Challenge.NONE ? null
                : error.challenge() == BearerError.Challenge.BARE ? BearerChallenge.of(REALM)
                : BearerChallenge.of(REALM, error);
    }

    /** A bearer refusal at {@code /oauth2/*} or the verifier binding: RFC 6750 JSON and its challenge. */
    public static void bearer(HttpServletResponse response, BearerError error, Map<String, String> headers)
            throws IOException {
        json(response, error.status(), error.code(), error.description(), headers, challenge(error));
    }

    /** A bearer refusal under the admin API, written by a servlet filter: problem+json and its challenge. */
    public static void bearerProblem(HttpServletResponse response, BearerError error, Map<String, String> headers)
            throws IOException {
        headers.forEach(response::setHeader);
        setChallenge(response, challenge(error));
        send(response, error.status(), PROBLEM_JSON, problemBody(error.status(), error.description(), error.code()),
                true);
    }

    /** RFC 6749 section 5.2; a 401 after HTTP Basic also challenges for Basic, as that section requires. */
    public static void oauth(HttpServletResponse response, int status, String code, String description,
            Map<String, String> headers, boolean basicChallenge) throws IOException {
        json(response, status, code, description, headers,
                status == 401 && basicChallenge ? "Basic realm=\"" + REALM + "\", charset=\"UTF-8\"" : null);
    }

    /** The store could not answer a request to {@code /oauth2/*}: 503 {@code temporarily_unavailable}. */
    public static void oauthUnavailable(HttpServletResponse response) throws IOException {
        oauth(response, 503, BearerErrors.TEMPORARILY_UNAVAILABLE, "The token store is unavailable; retry later",
                Map.of(RETRY_AFTER, UNAVAILABLE_RETRY_SECONDS), false);
    }

    /** A successful answer of {@code /oauth2/*}: 200, never cached (RFC 6749 section 5.1). */
    public static void ok(HttpServletResponse response, JsonObject body) throws IOException {
        send(response, 200, JSON, body, true);
    }

    /** A problem of the verifier binding, whose answers carry no {@code Pragma}. */
    public static void problem(HttpServletResponse response, int status, String detail) throws IOException {
        if (status == 503) {
            response.setHeader(RETRY_AFTER, UNAVAILABLE_RETRY_SECONDS);
        }
        send(response, status, PROBLEM_JSON, problemBody(status, detail, null), false);
    }

    /**
     * A problem of the admin API written by a servlet filter, before JAX-RS: the same body as {@link #problem(int,
     * String, String)}.
     */
    public static void problem(HttpServletResponse response, int status, String detail, String error)
            throws IOException {
        send(response, status, PROBLEM_JSON, problemBody(status, detail, error), false);
    }

    /** A successful answer of the verifier binding. */
    public static void answer(HttpServletResponse response, JsonObject body) throws IOException {
        send(response, 200, JSON, body, false);
    }

    /**
     * An answer of the admin API: problem+json with the extension member {@code error} (the code a protected WAR's
     * filter answers for the same refusal), or none when {@code null}; a 503 says when to retry.
     */
    public static Response.ResponseBuilder problem(int status, String detail, String error) {
        Response.ResponseBuilder response = Response.status(status).type(PROBLEM_JSON)
                .header("Cache-Control", "no-store").entity(problemBody(status, detail, error).toString());
        return status == 503 ? response.header(RETRY_AFTER, UNAVAILABLE_RETRY_SECONDS) : response;
    }

    /** A bearer refusal of the admin API: problem+json with {@code headers} and the challenge. */
    public static Response bearerProblem(BearerError error, Map<String, String> headers) {
        Response.ResponseBuilder response = problem(error.status(), error.description(), error.code());
        headers.forEach(response::header);
        String challenge = challenge(error);
        if (challenge != null) {
            response.header("WWW-Authenticate", challenge);
        }
        return response.build();
    }

    private static void json(HttpServletResponse response, int status, String code, String description,
            Map<String, String> headers, String challenge) throws IOException {
        headers.forEach(response::setHeader);
        setChallenge(response, challenge);
        send(response, status, JSON, Json.createObjectBuilder()
                .add("error", code).add("error_description", description).build(), true);
    }

    private static void setChallenge(HttpServletResponse response, String challenge) {
        if (challenge != null) {
            response.setHeader("WWW-Authenticate", challenge);
        }
    }

    private static JsonObject problemBody(int status, String detail, String error) {
        Response.Status known = Response.Status.fromStatusCode(status);
        JsonObjectBuilder body = Json.createObjectBuilder()
                .add("type", "about:blank")
                .add("title", known != null ? known.getReasonPhrase() : "Error")
                .add("status", status)
                .add("detail", detail);
        if (error != null) {
            body.add("error", error);
        }
        return body.build();
    }

    private static void send(HttpServletResponse response, int status, String type, JsonObject body, boolean pragma)
            throws IOException {
        byte[] bytes = body.toString().getBytes(StandardCharsets.UTF_8);
        response.setStatus(status);
        response.setHeader("Cache-Control", "no-store");
        if (pragma) {
            response.setHeader("Pragma", "no-cache");
        }
        response.setContentType(type);
        response.setContentLength(bytes.length);
        response.getOutputStream().write(bytes);
    }
}
