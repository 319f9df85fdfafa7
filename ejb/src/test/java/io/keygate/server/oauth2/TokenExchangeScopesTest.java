package io.keygate.server.oauth2;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import jakarta.servlet.http.HttpServletRequest;
import java.lang.reflect.Proxy;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** {@code admin} and {@code introspect} never reach an access token (README, "Access tokens follow their secret"). */
class TokenExchangeScopesTest {

    @Test
    void secretWithAdminThenItsAccessTokenCarriesEverythingElse() throws Exception {
        assertEquals(Set.of("read", "reports:read"),
                TokenExchange.grantable(Set.of("admin", "read", "introspect", "reports:read")));
    }

    @Test
    void secretWithNothingGrantableThenInvalidScope() {
        OAuthException refused = assertThrows(OAuthException.class,
                () -> TokenExchange.grantable(Set.of("admin", "introspect")));
        assertEquals("invalid_scope", refused.error().error());
        assertEquals(400, refused.error().status());
    }

    @Test
    void askingForAdminOrIntrospectThenInvalidScopeEvenWhenTheSecretHasIt() throws Exception {
        for (String scope : new String[] {"admin", "read admin", "introspect"}) {
            OAuthException refused = assertThrows(OAuthException.class,
                    () -> TokenExchange.narrowed(Set.of("read", "admin", "introspect"), form(Map.of("scope", scope))));
            assertEquals("invalid_scope", refused.error().error(), scope);
        }
        assertEquals(Set.of("read"), TokenExchange.narrowed(Set.of("write"), form(Map.of("scope", "read"))));
    }

    /** A form POST with these parameters. */
    static FormRequest form(Map<String, String> parameters) throws OAuthException {
        HttpServletRequest request = (HttpServletRequest) Proxy.newProxyInstance(
                TokenExchangeScopesTest.class.getClassLoader(), new Class<?>[] {HttpServletRequest.class},
                (proxy, method, args) -> switch (method.getName()) {
                    case "getContentType" -> "application/x-www-form-urlencoded";
                    case "getParameterValues" -> parameters.containsKey((String) args[0])
                            ? new String[] {parameters.get((String) args[0])} : null;
                    default -> null;
                });
        return FormRequest.of(request);
    }
}
