package io.keygate.server.oauth2;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The token endpoint refuses a form whose charset it cannot decode before the container tries (Undertow throws out
 * of {@code getParameter} for {@code charset=} with nothing after it), and accepts the charsets a client sends.
 */
class FormRequestCharsetTest {

    @ParameterizedTest
    @ValueSource(strings = {"application/x-www-form-urlencoded; charset=",
        "application/x-www-form-urlencoded; charset=bogus", "application/x-www-form-urlencoded; charset=\"x y\"",
        "application/x-www-form-urlencoded;charset=\"\"", "application/x-www-form-urlencoded; CHARSET=utf-9"})
    void aCharsetThatNamesNoneThenInvalidRequest(String contentType) {
        OAuthException refused = assertThrows(OAuthException.class,
                () -> FormRequest.refuseUnreadableCharset(contentType));
        assertEquals(400, refused.error().status());
        assertEquals("invalid_request", refused.error().error());
    }

    @ParameterizedTest
    @ValueSource(strings = {"application/x-www-form-urlencoded", "application/x-www-form-urlencoded; charset=UTF-8",
        "application/x-www-form-urlencoded;charset=\"utf-8\"", "application/x-www-form-urlencoded; charset=ISO-8859-1",
        "application/x-www-form-urlencoded; boundary=x"})
    void noCharsetOrOneTheJvmHasThenAccepted(String contentType) {
        assertDoesNotThrow(() -> FormRequest.refuseUnreadableCharset(contentType));
    }
}
