package io.keygate.filter;

import io.keygate.bearer.BearerError;
import io.keygate.bearer.BearerErrors;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

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
    void jsonWhenSpecialCharactersThenEscaped() {
        assertEquals("\"a\\\"b\\\\c\\u000ad\\u00e9\"", ErrorResponseWriter.json("a\"b\\c\nd\u00e9"));
    }
}
