package io.keygate.filter;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.keygate.config.ConfigLookup;
import io.keygate.transport.TransportSecurity;
import jakarta.servlet.ServletException;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class FilterSettingsTest {

    static FilterSettings settings(Map<String, String> webXml, String contextPath) throws ServletException {
        return FilterSettings.read(new ConfigLookup(null, webXml::get, Map.of(), new Properties()), contextPath);
    }

    static FilterSettings settings(Map<String, String> webXml) throws ServletException {
        return settings(webXml, "/sample");
    }

    @Test
    void readWhenNothingConfiguredThenDefaults() throws ServletException {
        FilterSettings settings = settings(Map.of());
        assertEquals(List.of(), settings.publicPaths());
        assertEquals("/sample", settings.realm());
        assertTrue(settings.requireHttps());
        assertTrue(settings.allowLoopbackHttp());
        assertEquals(List.of(), settings.trustedProxies());
        assertEquals(List.of("write"), settings.scopePolicy().requiredScopes("POST", new RequestPath("/x")));
    }

    @Test
    void readWhenRootContextThenRealmIsSlash() throws ServletException {
        assertEquals("/", settings(Map.of(), "").realm());
    }

    @Test
    void readWhenEverythingConfiguredThenParsed() throws ServletException {
        FilterSettings settings = settings(Map.of(
                FilterSettings.PUBLIC_PATHS, " /public/*, /health ,",
                FilterSettings.REALM, "Acme API",
                TransportSecurity.REQUIRE_HTTPS, "FALSE",
                TransportSecurity.ALLOW_LOOPBACK_HTTP, "False",
                TransportSecurity.TRUSTED_PROXIES, "10.0.0.0/8, ::1",
                FilterSettings.SCOPE_RULES, "GET /api/reports/** = reports:read"));
        assertTrue(settings.isPublic(new RequestPath("/public/status")));
        assertTrue(settings.isPublic(new RequestPath("/health")));
        assertFalse(settings.isPublic(new RequestPath("/api/whoami")));
        assertEquals("Acme API", settings.realm());
        assertFalse(settings.requireHttps());
        assertFalse(settings.allowLoopbackHttp());
        assertEquals(2, settings.trustedProxies().size());
        assertEquals(List.of("reports:read"),
                settings.scopePolicy().requiredScopes("GET", new RequestPath("/api/reports/1")));
    }

    @Test
    void readWhenBlankValuesThenDefaults() throws ServletException {
        FilterSettings settings = settings(Map.of(FilterSettings.REALM, "  ", TransportSecurity.REQUIRE_HTTPS, "",
                FilterSettings.PUBLIC_PATHS, " ", FilterSettings.SCOPE_RULES, ""));
        assertEquals("/sample", settings.realm());
        assertTrue(settings.requireHttps());
        assertEquals(List.of(), settings.publicPaths());
    }

    @Test
    void readWhenEnvironmentBlankThenWebXmlValueIgnoredAndDefaultUsed() throws ServletException {
        ConfigLookup config = new ConfigLookup(null, Map.of(TransportSecurity.REQUIRE_HTTPS, "false")::get,
                Map.of("KEYGATE_REQUIRE_HTTPS", ""), new Properties());
        assertTrue(FilterSettings.read(config, "/sample").requireHttps());
    }

    @Test
    void readWhenEnvironmentSetThenWinsOverWebXml() throws ServletException {
        ConfigLookup config = new ConfigLookup(null, Map.of(TransportSecurity.REQUIRE_HTTPS, "false")::get,
                Map.of("KEYGATE_REQUIRE_HTTPS", "true"), new Properties());
        assertTrue(FilterSettings.read(config, "/sample").requireHttps());
    }

    @ParameterizedTest(name = "{0}={1}")
    @CsvSource(delimiter = '|', value = {
        "keygate.require-https|yes",
        "keygate.require-https|1",
        "keygate.allow-loopback-http|on",
        "keygate.public-paths|/public/, /ok",
        "keygate.public-paths|public/*",
        "keygate.trusted-proxies|proxy.example.com",
        "keygate.trusted-proxies|10.0.0.0/33",
        "keygate.trusted-proxies|10.0.0",
        "keygate.trusted-proxies|fe80::1%eth0",
        "keygate.scope-rules|GET /api/** = Read",
        "keygate.scope-rules|HEAD /api/** = read",
        "keygate.realm|say \"hi\"",
        "keygate.realm|back\\slash",
        "keygate.realm|Zürich",
        "keygate.verifier-jndi|global/keygate-v2/TokenVerifier",
        "keygate.verifier-jndi|java:",
        "keygate.verifier-jndi|java:global/keygate v2/TokenVerifier",
        "keygate.verifier.timeout-millis|50",
        "keygate.verifier.timeout-millis|60001",
        "keygate.verifier.timeout-millis|soon"
    })
    void readWhenInvalidValueThenServletExceptionNamingKeyAndValue(String key, String value) {
        ServletException e = assertThrows(ServletException.class, () -> settings(Map.of(key, value)));
        assertTrue(e.getMessage().contains(key), e.getMessage());
        assertTrue(e.getMessage().contains(value), e.getMessage());
    }

    @Test
    void readWhenInvalidItemInListThenMessageNamesTheItem() {
        ServletException e = assertThrows(ServletException.class,
                () -> settings(Map.of(TransportSecurity.TRUSTED_PROXIES, "10.0.0.1, localhost")));
        assertEquals("Invalid Keygate configuration keygate.trusted-proxies=\"10.0.0.1, localhost\":"
                + " \"localhost\": not an IP address literal: localhost", e.getMessage());
    }
}
