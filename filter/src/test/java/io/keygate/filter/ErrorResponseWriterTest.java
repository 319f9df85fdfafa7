package io.keygate.filter;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.keygate.bearer.BearerError;
import io.keygate.bearer.BearerErrors;
import io.keygate.limits.TokenRateLimiter;
import java.io.IOException;
import org.junit.jupiter.api.Test;

class ErrorResponseWriterTest {

    private final ErrorResponseWriter writer = new ErrorResponseWriter("/sample");

    private FakeResponse write(BearerError error) throws IOException {
        FakeResponse response = new FakeResponse();
        writer.write(response.build(), error);
        return response;
    }

    @Test
    void writeWhenTokenRequiredThen401BareChallengeAndJsonBody() throws IOException {
        FakeResponse response = write(BearerErrors.TOKEN_REQUIRED_ERROR);
        assertEquals(401, response.status);
        assertEquals("Bearer realm=\"/sample\"", response.header("WWW-Authenticate"));
        assertEquals("application/json", response.contentType);
        assertEquals("no-store", response.header("Cache-Control"));
        assertEquals("no-cache", response.header("Pragma"));
        assertEquals("{\"error\":\"unauthorized\",\"error_description\":\"A bearer token is required\"}",
                response.bodyText());
        assertEquals(Integer.toString(response.body.size()), response.header("Content-Length"));
        assertTrue(response.flushed);
    }

    @Test
    void writeWhenUnavailableThen503RetryAfterWithoutChallenge() throws IOException {
        FakeResponse response = write(BearerErrors.UNAVAILABLE_ERROR);
        assertEquals(503, response.status);
        assertEquals("5", response.header("Retry-After"));
        assertNull(response.header("WWW-Authenticate"));
        assertEquals("{\"error\":\"temporarily_unavailable\","
                + "\"error_description\":\"The token verifier is not available, retry later\"}", response.bodyText());
    }

    @Test
    void writeWhenHttpsRequiredThen403WithoutChallenge() throws IOException {
        FakeResponse response = write(BearerErrors.HTTPS_REQUIRED_ERROR);
        assertEquals(403, response.status);
        assertNull(response.header("WWW-Authenticate"));
        assertNull(response.header("Retry-After"));
        assertEquals("{\"error\":\"https_required\",\"error_description\":\"HTTPS is required\"}",
                response.bodyText());
    }

    @Test
    void writeWhenSameErrorTwiceThenSameBytes() throws IOException {
        assertArrayEquals(write(BearerErrors.INVALID_TOKEN_ERROR).body.toByteArray(),
                write(BearerErrors.INVALID_TOKEN_ERROR).body.toByteArray());
    }

    @Test
    void writeWhenSameTextBuiltPerRequestThenSameBytesAsFixedError() throws IOException {
        BearerError copy = new BearerError(401, "invalid_token", "The access token is invalid", null,
                BearerError.Challenge.WITH_ERROR);
        FakeResponse fixed = write(BearerErrors.INVALID_TOKEN_ERROR);
        FakeResponse built = write(copy);
        assertArrayEquals(fixed.body.toByteArray(), built.body.toByteArray());
        assertEquals(fixed.header("WWW-Authenticate"), built.header("WWW-Authenticate"));
    }

    @Test
    void writeWhenInsufficientScopeThenChallengeNamesScope() throws IOException {
        FakeResponse response = write(BearerErrors.insufficientScope("reports:write"));
        assertEquals(403, response.status);
        assertEquals("Bearer realm=\"/sample\", error=\"insufficient_scope\", scope=\"reports:write\"",
                response.header("WWW-Authenticate"));
        assertEquals("{\"error\":\"insufficient_scope\","
                + "\"error_description\":\"The access token does not have the scope reports:write\"}",
                response.bodyText());
    }

    @Test
    void writeWhenThrottledThen429RetryAfterWithoutRateLimitHeaders() throws IOException {
        FakeResponse response = new FakeResponse();
        writer.write(response.build(), Admission.throttled(42));
        assertEquals(429, response.status);
        assertEquals("42", response.header("Retry-After"));
        assertNull(response.header("RateLimit-Limit"));
        assertNull(response.header("WWW-Authenticate"));
        assertTrue(response.bodyText().startsWith("{\"error\":\"too_many_requests\","));
    }

    @Test
    void writeWhenRateLimitSpentThen429RetryAfterAndRateLimitHeaders() throws IOException {
        FakeResponse response = new FakeResponse();
        writer.write(response.build(), Admission.rate(new TokenRateLimiter.Decision(false, 10, 0, 7)));
        assertEquals(429, response.status);
        assertEquals("7", response.header("Retry-After"));
        assertEquals("10", response.header("RateLimit-Limit"));
        assertEquals("0", response.header("RateLimit-Remaining"));
        assertEquals("7", response.header("RateLimit-Reset"));
        assertTrue(response.bodyText().contains("\"rate_limit_exceeded\""));
    }

    @Test
    void writeLimitsWhenAdmittedWithinRateThenRateLimitHeadersOnly() {
        FakeResponse response = new FakeResponse();
        writer.writeLimits(response.build(), Admission.rate(new TokenRateLimiter.Decision(true, 10, 9, 60)));
        assertEquals("9", response.header("RateLimit-Remaining"));
        assertNull(response.header("Retry-After"));
        assertEquals(0, response.body.size());
    }

    @Test
    void writeLimitsWhenNoRateLimitThenNothing() {
        FakeResponse response = new FakeResponse();
        writer.writeLimits(response.build(), Admission.ADMITTED);
        assertTrue(response.headers.isEmpty());
    }
}
