package io.keygate.server.oauth2;

import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** A credential in the query string is refused in every encoding of its name (RFC 6749 section 2.3.1). */
class FormRequestQueryTest {

    @ParameterizedTest
    @ValueSource(strings = {"client_secret=x", "client%5Fsecret=x", "client%5fsecret=x", "%63lient_secret=x",
            "pass%77ord=x", "t%6Fken=x", "%74%6F%6B%65%6E=x", "a=1&token", "grant_type=password&password=",
            "x=1&client_secre%74=kg_abc"})
    void credentialNameInAnyEncodingThenInvalidRequest(String query) {
        OAuthException refused = assertThrows(OAuthException.class, () -> FormRequest.refuseCredentialsIn(query));
        assertEquals(400, refused.error().status());
        assertEquals("invalid_request", refused.error().error());
    }

    @ParameterizedTest
    @ValueSource(strings = {"token%", "token%4", "%zz=1", "%C0%AF=1", "%FF=1", "%ED%A0%80=1", "a=1&%E2%82=2"})
    void malformedEncodingThenInvalidRequest(String query) {
        OAuthException refused = assertThrows(OAuthException.class, () -> FormRequest.refuseCredentialsIn(query));
        assertEquals("invalid_request", refused.error().error());
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "a=1", "scope=read+write", "tokens=1", "client_id=abc", "x=%25", "caf%C3%A9=1",
            "token_type_hint=access_token"})
    void otherNamesThenAccepted(String query) {
        assertDoesNotThrow(() -> FormRequest.refuseCredentialsIn(query));
    }
}
