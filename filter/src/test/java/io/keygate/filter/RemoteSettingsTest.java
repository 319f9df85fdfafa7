package io.keygate.filter;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.keygate.config.ConfigLookup;
import io.keygate.filter.remote.RemoteSettings;
import jakarta.servlet.ServletException;
import java.net.URI;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The {@code keygate.remote.*} keys: remote mode only when asked for, and never with a weak or leaked setting. */
class RemoteSettingsTest {

    static final String CREDENTIAL = "kg_remoteCredential0123456789abcdefghij";

    private static Optional<RemoteSettings> read(Map<String, String> keys) throws ServletException {
        return RemoteSettings.read(new ConfigLookup(null, keys::get, Map.of(), new Properties()));
    }

    private static Map<String, String> remote(String url) {
        Map<String, String> keys = new HashMap<>();
        keys.put(RemoteSettings.URL, url);
        keys.put(RemoteSettings.TOKEN, CREDENTIAL);
        return keys;
    }

    @Test
    void readWhenNoUrlThenLocalMode() throws ServletException {
        assertTrue(read(Map.of()).isEmpty());
        assertTrue(read(Map.of(RemoteSettings.URL, "  ")).isEmpty());
    }

    @Test
    void readWhenUrlAndTokenThenRemoteModeWithDefaults() throws ServletException {
        RemoteSettings settings = read(remote("https://auth.example.com/keygate")).orElseThrow();
        assertEquals(URI.create("https://auth.example.com/keygate/verifier"), settings.verifierUri());
        assertEquals(CREDENTIAL, settings.credential());
        assertEquals(RemoteSettings.DEFAULT_TIMEOUT_MILLIS, settings.timeoutMillis());
        assertEquals(RemoteSettings.DEFAULT_POLL_MILLIS, settings.pollMillis());
    }

    @Test
    void verifierUriWhenBaseEndsWithSlashThenNoDoubleSlash() throws ServletException {
        assertEquals(URI.create("https://auth.example.com/keygate/verifier"),
                read(remote("https://auth.example.com/keygate/")).orElseThrow().verifierUri());
    }

    @ParameterizedTest
    @ValueSource(strings = {"http://127.0.0.1:8080/keygate", "http://localhost:8080/keygate",
            "http://[::1]:8080/keygate", "http://127.0.0.2/keygate"})
    void readWhenPlainHttpToLoopbackThenAccepted(String url) throws ServletException {
        assertTrue(read(remote(url)).isPresent());
    }

    @Test
    void readWhenPlainHttpToAnotherHostThenDeploymentFailsSayingWhy() {
        ServletException e = assertThrows(ServletException.class,
                () -> read(remote("http://auth.example.com/keygate")));
        assertTrue(e.getMessage().contains(RemoteSettings.URL), e.getMessage());
        assertTrue(e.getMessage().contains("loopback"), e.getMessage());
    }

    @ParameterizedTest
    @ValueSource(strings = {"auth.example.com/keygate", "ftp://auth.example.com/keygate",
            "https://user:pw@auth.example.com/keygate", "https://auth.example.com/keygate?x=1", "https:///keygate",
            "https://auth example.com"})
    void readWhenUrlIsNotABaseUrlThenDeploymentFails(String url) {
        ServletException e = assertThrows(ServletException.class, () -> read(remote(url)));
        assertTrue(e.getMessage().startsWith("Invalid Keygate configuration " + RemoteSettings.URL), e.getMessage());
    }

    @Test
    void readWhenTokenWithoutUrlThenDeploymentFails() {
        ServletException e = assertThrows(ServletException.class,
                () -> read(Map.of(RemoteSettings.TOKEN, CREDENTIAL)));
        assertTrue(e.getMessage().contains(RemoteSettings.URL), e.getMessage());
        assertFalse(e.getMessage().contains(CREDENTIAL), "the message must not quote the credential");
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "short-credential", "kg_has spaces in it 0123456789abcdefghijkl",
            "kg_\u00e9\u00e9\u00e9\u00e9\u00e9\u00e9\u00e9\u00e9\u00e9\u00e9\u00e9\u00e9\u00e9\u00e9\u00e9\u00e9\u00e9\u00e9\u00e9\u00e9\u00e9\u00e9\u00e9\u00e9\u00e9\u00e9\u00e9\u00e9\u00e9"})
    void readWhenUrlWithoutUsableTokenThenDeploymentFailsWithoutQuotingIt(String token) {
        Map<String, String> keys = remote("https://auth.example.com/keygate");
        keys.put(RemoteSettings.TOKEN, token);
        ServletException e = assertThrows(ServletException.class, () -> read(keys));
        assertTrue(e.getMessage().contains(RemoteSettings.TOKEN), e.getMessage());
        if (!token.isEmpty()) {
            assertFalse(e.getMessage().contains(token), "the message must not quote the credential");
        }
    }

    @Test
    void readWhenTimeoutOrPollOutOfRangeThenDeploymentFails() {
        Map<String, String> keys = remote("https://auth.example.com/keygate");
        keys.put(RemoteSettings.POLL_MILLIS, "50");
        assertThrows(ServletException.class, () -> read(keys));
        keys.put(RemoteSettings.POLL_MILLIS, "500");
        keys.put(RemoteSettings.TIMEOUT_MILLIS, "600001");
        assertThrows(ServletException.class, () -> read(keys));
    }

    @Test
    void toStringThenNeverShowsTheCredential() throws ServletException {
        RemoteSettings settings = read(remote("https://auth.example.com/keygate")).orElseThrow();
        assertFalse(settings.toString().contains(CREDENTIAL), settings.toString());
        assertTrue(settings.toString().contains("https://auth.example.com/keygate"), settings.toString());
    }

    @Test
    void filterSettingsThenCarryTheRemoteSettings() throws ServletException {
        assertTrue(FilterSettingsTest.settings(remote("https://auth.example.com/keygate")).remote().isPresent());
        assertTrue(FilterSettingsTest.settings(Map.of()).remote().isEmpty());
    }
}
