package io.keygate.bearer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.keygate.bearer.BearerChallenge;
import io.keygate.bearer.BearerErrors;
import io.keygate.bearer.BearerTokenResolver;
import org.junit.jupiter.api.Test;

class BearerChallengeTest {

    @Test
    void ofWhenNoTokenThenBareChallenge() {
        assertEquals("Bearer realm=\"/sample\"", BearerChallenge.of("/sample", BearerErrors.TOKEN_REQUIRED_ERROR));
    }

    @Test
    void ofWhenInvalidRequestThenErrorAndDescription() {
        assertEquals("Bearer realm=\"/sample\", error=\"invalid_request\","
                + " error_description=\"The request has more than one Authorization header\"",
                BearerChallenge.of("/sample", BearerErrors.invalidRequest(BearerTokenResolver.TWO_HEADERS)));
    }

    @Test
    void ofWhenInvalidTokenThenErrorAndDescription() {
        assertEquals("Bearer realm=\"/sample\", error=\"invalid_token\","
                + " error_description=\"The access token is invalid\"",
                BearerChallenge.of("/sample", BearerErrors.INVALID_TOKEN_ERROR));
        assertEquals("Bearer realm=\"/sample\", error=\"invalid_token\","
                + " error_description=\"The access token expired\"",
                BearerChallenge.of("/sample", BearerErrors.EXPIRED_TOKEN_ERROR));
    }

    @Test
    void ofWhenInsufficientScopeThenErrorAndScope() {
        assertEquals("Bearer realm=\"/sample\", error=\"insufficient_scope\", scope=\"write\"",
                BearerChallenge.of("/sample", BearerErrors.insufficientScope("write")));
        assertEquals("Bearer realm=\"/\", error=\"insufficient_scope\", scope=\"reports:read\"",
                BearerChallenge.of("/", BearerErrors.insufficientScope("reports:read")));
    }

    @Test
    void ofWhenUnavailableOrHttpsThenNoChallenge() {
        assertNull(BearerChallenge.of("/sample", BearerErrors.UNAVAILABLE_ERROR));
        assertNull(BearerChallenge.of("/sample", BearerErrors.HTTPS_REQUIRED_ERROR));
    }

    @Test
    void ofWhenRealmHasQuoteOrBackslashThenRefused() {
        assertThrows(IllegalArgumentException.class, () -> BearerChallenge.of("a\"b"));
        assertThrows(IllegalArgumentException.class, () -> BearerChallenge.of("a\\b"));
        assertThrows(IllegalArgumentException.class, () -> BearerChallenge.of(""));
    }

    @Test
    void isValidParameterValueThenRfc6750Characters() {
        assertTrue(BearerChallenge.isValidParameterValue(" !#[]~"));
        assertFalse(BearerChallenge.isValidParameterValue("\""));
        assertFalse(BearerChallenge.isValidParameterValue("\\"));
        assertFalse(BearerChallenge.isValidParameterValue("\t"));
        assertFalse(BearerChallenge.isValidParameterValue("\u007f"));
        assertFalse(BearerChallenge.isValidParameterValue("é"));
        assertFalse(BearerChallenge.isValidParameterValue(null));
    }

    @Test
    void isValidScopeThenSpaceSeparatedTokensWithoutSpaceInside() {
        assertTrue(BearerChallenge.isValidScope("read write"));
        assertFalse(BearerChallenge.isValidScope("read  write"));
        assertFalse(BearerChallenge.isValidScope(" read"));
        assertFalse(BearerChallenge.isValidScope(""));
    }

    @Test
    void bearerErrorWhenDescriptionBreaksRfcThenRefused() {
        assertThrows(IllegalArgumentException.class, () -> BearerErrors.invalidRequest("say \"hi\""));
        assertThrows(IllegalArgumentException.class, () -> BearerErrors.invalidRequest("line\nbreak"));
        assertThrows(IllegalArgumentException.class, () -> BearerErrors.insufficientScope("a\"b"));
    }

    @Test
    void errorsThenStatusesFromOnePlace() {
        assertEquals(401, BearerErrors.TOKEN_REQUIRED_ERROR.status());
        assertEquals(400, BearerErrors.invalidRequest("x").status());
        assertEquals(401, BearerErrors.INVALID_TOKEN_ERROR.status());
        assertEquals(401, BearerErrors.EXPIRED_TOKEN_ERROR.status());
        assertEquals(403, BearerErrors.insufficientScope("write").status());
        assertEquals(403, BearerErrors.HTTPS_REQUIRED_ERROR.status());
        assertEquals(503, BearerErrors.UNAVAILABLE_ERROR.status());
    }
}
