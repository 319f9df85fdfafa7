package io.keygate.transport;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.keygate.testing.FakeRequest;
import io.keygate.transport.IpRange;
import io.keygate.transport.TransportSecurity;
import jakarta.servlet.ServletException;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class TransportSecurityTest {

    private static final List<IpRange> PROXIES = List.of(IpRange.parse("10.0.0.0/8"), IpRange.parse("::1"));

    private final TransportSecurity strict = new TransportSecurity(true, true, PROXIES);

    private static FakeRequest plain(String remoteAddr) {
        return FakeRequest.get("/api/x").secure(false).remoteAddr(remoteAddr);
    }

    @Test
    void isAcceptableWhenSecureThenTrue() {
        assertTrue(strict.isAcceptable(FakeRequest.get("/x").secure(true).remoteAddr("203.0.113.5").build()));
    }

    @Test
    void isAcceptableWhenPlainHttpFromInternetThenFalse() {
        assertFalse(strict.isAcceptable(plain("203.0.113.5").build()));
    }

    @Test
    void isAcceptableWhenPlainHttpFromLoopbackThenExempt() {
        assertTrue(strict.isAcceptable(plain("127.0.0.1").build()));
        assertTrue(strict.isAcceptable(plain("127.8.9.10").build()));
        assertTrue(strict.isAcceptable(plain("0:0:0:0:0:0:0:1").build()));
    }

    @Test
    void isAcceptableWhenLoopbackExemptionOffThenFalse() {
        TransportSecurity noLoopback = new TransportSecurity(true, false, PROXIES);
        assertFalse(noLoopback.isAcceptable(plain("127.0.0.1").build()));
    }

    @Test
    void isAcceptableWhenHttpsNotRequiredThenTrue() {
        assertTrue(new TransportSecurity(false, false, List.of()).isAcceptable(plain("203.0.113.5").build()));
    }

    @Test
    void isAcceptableWhenTrustedProxyForwardsHttpsThenTrue() {
        assertTrue(strict.isAcceptable(plain("10.1.1.1").header("X-Forwarded-Proto", "https").build()));
        assertTrue(strict.isAcceptable(plain("10.1.1.1").header("X-Forwarded-Proto", "HTTPS").build()));
    }

    @Test
    void isAcceptableWhenTrustedProxyForwardsHttpThenFalse() {
        assertFalse(strict.isAcceptable(plain("10.1.1.1").header("X-Forwarded-Proto", "http").build()));
        assertFalse(strict.isAcceptable(plain("10.1.1.1").header("X-Forwarded-Proto", "https, http").build()));
        assertFalse(strict.isAcceptable(plain("10.1.1.1").build()));
    }

    @Test
    void isAcceptableWhenUntrustedPeerSendsForwardedProtoThenIgnored() {
        assertFalse(strict.isAcceptable(plain("203.0.113.5").header("X-Forwarded-Proto", "https").build()));
    }

    @Test
    void isAcceptableWhenUntrustedPeerClaimsLoopbackClientThenIgnored() {
        assertFalse(strict.isAcceptable(plain("203.0.113.5").header("X-Forwarded-For", "127.0.0.1").build()));
    }

    @Test
    void isAcceptableWhenUntrustedLoopbackPeerForwardsThenNotExempt() {
        TransportSecurity noProxies = new TransportSecurity(true, true, List.of());
        assertFalse(noProxies.isAcceptable(plain("127.0.0.1").header("X-Forwarded-For", "203.0.113.5").build()));
        assertFalse(noProxies.isAcceptable(plain("127.0.0.1").header("Forwarded", "for=203.0.113.5").build()));
    }

    @Test
    void isAcceptableWhenTrustedProxyForwardsLoopbackClientThenExempt() {
        assertTrue(strict.isAcceptable(plain("10.1.1.1").header("X-Forwarded-For", "127.0.0.1").build()));
    }

    @Test
    void isAcceptableWhenTrustedProxyForwardsInternetClientOverHttpThenFalse() {
        assertFalse(strict.isAcceptable(plain("::1").header("X-Forwarded-For", "203.0.113.5").build()));
    }

    @Test
    void clientAddressWhenPeerUntrustedThenPeer() {
        assertEquals(Optional.of("203.0.113.5"), client(plain("203.0.113.5").header("X-Forwarded-For", "1.2.3.4")));
    }

    @Test
    void clientAddressWhenPeerTrustedThenRightMostUntrustedForwardedEntry() {
        FakeRequest request = plain("10.0.0.2")
                .header("X-Forwarded-For", "127.0.0.1, 198.51.100.7")
                .header("X-Forwarded-For", "10.3.3.3");
        assertEquals(Optional.of("198.51.100.7"), client(request));
    }

    @Test
    void clientAddressWhenPeerTrustedWithoutForwardedForThenPeer() {
        assertEquals(Optional.of("10.0.0.2"), client(plain("10.0.0.2")));
    }

    @Test
    void clientAddressWhenAllForwardedEntriesTrustedThenLeftMost() {
        FakeRequest request = plain("10.0.0.2").header("X-Forwarded-For", "10.0.0.9, 10.0.0.8");
        assertEquals(Optional.of("10.0.0.9"), client(request));
    }

    @Test
    void clientAddressWhenForwardedEntryNotAnAddressThenUnknown() {
        assertEquals(Optional.empty(), client(plain("10.0.0.2").header("X-Forwarded-For", "127.0.0.1, unknown")));
        assertFalse(strict.isAcceptable(plain("10.0.0.2").header("X-Forwarded-For", "unknown").build()));
    }

    private Optional<String> client(FakeRequest request) {
        return strict.clientAddress(request.build()).map(a -> a.getHostAddress());
    }

    @Test
    void readThenTheKeysAndDefaultsOfAProtectedWar() throws Exception {
        TransportSecurity defaults = TransportSecurity.read(config(Map.of()));
        assertFalse(defaults.isAcceptable(plain("203.0.113.5").build()), "HTTPS required by default");
        assertTrue(defaults.isAcceptable(plain("127.0.0.1").build()), "loopback exempt by default");
        assertFalse(defaults.isAcceptable(plain("127.0.0.1").header("X-Forwarded-For", "203.0.113.5")
                .header("X-Forwarded-Proto", "https").build()), "no trusted proxy by default");

        TransportSecurity proxied = TransportSecurity.read(config(Map.of("keygate.trusted-proxies", "127.0.0.1")));
        assertTrue(proxied.isAcceptable(plain("127.0.0.1").header("X-Forwarded-For", "203.0.113.5")
                .header("X-Forwarded-Proto", "https").build()));
        assertFalse(proxied.isAcceptable(plain("127.0.0.1").header("X-Forwarded-For", "203.0.113.5").build()));
        assertEquals("203.0.113.5", proxied.clientAddress(plain("127.0.0.1").header("X-Forwarded-For",
                "203.0.113.5").build()).orElseThrow().getHostAddress());
        assertTrue(TransportSecurity.read(config(Map.of("keygate.require-https", "false")))
                .isAcceptable(plain("203.0.113.5").build()));
    }

    @Test
    void readWhenAValueIsBadThenServletExceptionNamingKeyAndValue() {
        for (Map.Entry<String, String> bad : Map.of("keygate.require-https", "yes",
                "keygate.allow-loopback-http", "1", "keygate.trusted-proxies", "10.0.0.0/33").entrySet()) {
            ServletException refused = org.junit.jupiter.api.Assertions.assertThrows(ServletException.class,
                    () -> TransportSecurity.read(config(Map.of(bad.getKey(), bad.getValue()))));
            assertTrue(refused.getMessage().contains(bad.getKey()) && refused.getMessage().contains(bad.getValue()),
                    refused.getMessage());
        }
    }

    private static io.keygate.config.ConfigLookup config(Map<String, String> values) {
        return new io.keygate.config.ConfigLookup(null, values::get, Map.of(), new java.util.Properties());
    }

    @Test
    void isAcceptableFromAnyClientWhenSecureOrHttpsNotRequiredThenTrueElseClientDecides() {
        assertTrue(strict.isAcceptableFromAnyClient(FakeRequest.get("/x").secure(true).build()));
        assertTrue(new TransportSecurity(false, true, List.of()).isAcceptableFromAnyClient(plain("127.0.0.1").build()));
        assertFalse(strict.isAcceptableFromAnyClient(plain("127.0.0.1").build()), "loopback needs its address");
    }

    @Test
    void exemptsPlainHttpWhenGivenClientThenSameAnswerAsIsAcceptable() {
        for (String peer : List.of("127.0.0.1", "203.0.113.5", "::1", "10.1.1.1")) {
            for (boolean forwarded : List.of(false, true)) {
                FakeRequest request = plain(peer);
                if (forwarded) {
                    request.header("X-Forwarded-For", "127.0.0.1");
                }
                var built = request.build();
                assertEquals(strict.isAcceptable(built), strict.exemptsPlainHttp(built, strict.clientAddress(built)),
                        peer + (forwarded ? " forwarding" : ""));
            }
        }
    }
}
