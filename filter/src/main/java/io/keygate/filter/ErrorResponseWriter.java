package io.keygate.filter;

import io.keygate.bearer.BearerChallenge;
import io.keygate.bearer.BearerError;
import io.keygate.bearer.BearerErrors;
import io.keygate.limits.TokenRateLimiter;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.IdentityHashMap;
import java.util.Map;

/**
 * The filter's one place that turns an error into a response: every answer that is not the application's is written
 * here, from a {@link BearerError} (status, {@code WWW-Authenticate} challenge of
 * <a href="https://www.rfc-editor.org/rfc/rfc6750#section-3">RFC 6750 section 3</a> when the error has one,
 * {@code Retry-After} on a 503, a small JSON body) or from a refusal of {@link RequestLimits} (an {@link Admission},
 * whose 429 carries {@code Retry-After} as <a href="https://www.rfc-editor.org/rfc/rfc6585#section-4">RFC 6585
 * section 4</a> asks, and the {@code RateLimit-*} headers of draft-ietf-httpapi-ratelimit-headers).
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
 * every cache (RFC 6749 section 5.1 asks the same of token responses). The challenge and body of each error of
 * {@link BearerErrors#FIXED} are built once, so the bytes are the same for the same error and two invalid tokens
 * cannot be told apart by their answers.
 */
final class ErrorResponseWriter {

    static final String WWW_AUTHENTICATE = "WWW-Authenticate";
    static final String RETRY_AFTER = "Retry-After";
    static final String RATE_LIMIT_LIMIT = "RateLimit-Limit";
    static final String RATE_LIMIT_REMAINING = "RateLimit-Remaining";
    static final String RATE_LIMIT_RESET = "RateLimit-Reset";
    static final String CONTENT_TYPE = "application/json";

    private final String realm;
    /** The answers of {@link BearerErrors#FIXED}, by identity: a look-up costs no string hashing. */
    private final Map<BearerError, Answer> fixed = new IdentityHashMap<>();

    /** @param realm the realm of every challenge, already checked by {@link FilterSettings} */
    ErrorResponseWriter(String realm) {
        if (!BearerChallenge.isValidParameterValue(realm)) {
            throw new IllegalArgumentException(FilterSettings.BAD_REALM);
        }
        this.realm = realm;
        for (BearerError error : BearerErrors.FIXED) {
            fixed.put(error, answer(error));
        }
    }

    /** Writes the whole answer; the response is committed afterwards. */
    void write(HttpServletResponse response, BearerError error) throws IOException {
        Answer answer = fixed.get(error);
        if (answer == null) {
            answer = answer(error);
        }
        response.setStatus(error.status());
        if (answer.challenge() != null) {
            response.setHeader(WWW_AUTHENTICATE, answer.challenge());
        }
        if (error.status() == HttpServletResponse.SC_SERVICE_UNAVAILABLE) {
            response.setHeader(RETRY_AFTER, Integer.toString(BearerErrors.RETRY_AFTER_SECONDS));
        }
        response.setHeader("Cache-Control", "no-store");
        response.setHeader("Pragma", "no-cache");
        response.setContentType(CONTENT_TYPE);
        response.setContentLength(answer.body().length);
        response.getOutputStream().write(answer.body());
        response.flushBuffer();
    }

    /** Writes a refusal of {@link RequestLimits} with the headers it decided on; the response is committed. */
    void write(HttpServletResponse response, Admission refused) throws IOException {
        writeLimits(response, refused);
        if (refused.retryAfterSeconds() != Admission.NO_RETRY) {
            response.setHeader(RETRY_AFTER, Long.toString(refused.retryAfterSeconds()));
        }
        write(response, refused.refusal());
    }

    /** The {@code RateLimit-*} headers of a token with a rate limit, on its refusal or on the application's answer. */
    void writeLimits(HttpServletResponse response, Admission admission) {
        TokenRateLimiter.Decision rate = admission.rate();
        if (rate != null) {
            response.setHeader(RATE_LIMIT_LIMIT, Long.toString(rate.limit()));
            response.setHeader(RATE_LIMIT_REMAINING, Long.toString(rate.remaining()));
            response.setHeader(RATE_LIMIT_RESET, Long.toString(rate.resetSeconds()));
        }
    }

    private Answer answer(BearerError error) {
        return new Answer(BearerChallenge.of(realm, error), body(error).getBytes(StandardCharsets.UTF_8));
    }

    /**
     * {@code {"error":"...","error_description":"..."}}. Nothing needs escaping: a {@link BearerError} holds only
     * printable ASCII without {@code "} and {@code \} (RFC 6750 section 3), none of which JSON escapes (RFC 8259
     * section 7).
     */
    static String body(BearerError error) {
        return "{\"error\":\"" + error.code() + "\",\"error_description\":\"" + error.description() + "\"}";
    }

    /** What is written for one error: its challenge ({@code null}: none) and its body. */
    private record Answer(String challenge, byte[] body) {
    }
}
