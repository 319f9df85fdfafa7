package io.keygate.filter;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.keygate.limits.ThrottleSettings;
import io.keygate.protocol.FailureReport;
import io.keygate.protocol.ProtocolJson;
import io.keygate.protocol.VerifierProtocol;
import io.keygate.testing.FakeRequest;
import io.keygate.token.TokenFormat;
import io.keygate.token.TokenHash;
import io.keygate.transport.TransportSecurity;
import jakarta.ejb.EJBException;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import java.io.IOException;
import java.security.SecureRandom;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Which of the filter's refusals reach the audit log, under which prefix, client address and reason; the answers
 * themselves are {@link KeygateFilterTest}'s.
 */
class KeygateFilterFailuresTest {

    private static final SecureRandom RANDOM = new SecureRandom();
    private static final String READ_TOKEN = TokenFormat.generate(RANDOM);
    private static final String EXPIRED = TokenFormat.generate(RANDOM);
    private static final String UNKNOWN = TokenFormat.generate(RANDOM);
    private static final String FENCED = TokenFormat.generate(RANDOM);
    private static final String LIMITED = TokenFormat.generate(RANDOM);
    private static final String DOWN = TokenFormat.generate(RANDOM);
    private static final String CLIENT = "192.0.2.10";

    private final Map<String, Object> answers = new HashMap<>();
    private final FakeVerifier keygate = new FakeVerifier(
            hash -> answers.getOrDefault(hash, FakeVerifier.result(VerifierProtocol.INVALID))).subscribable();
    private KeygateFilter filter = filter(Map.of(FilterSettings.PUBLIC_PATHS, "/public/*"));

    KeygateFilterFailuresTest() {
        answers.put(TokenHash.of(READ_TOKEN), FakeVerifier.valid("alice", List.of("read")));
        answers.put(TokenHash.of(EXPIRED), FakeVerifier.result(VerifierProtocol.EXPIRED));
        Map<String, Object> fenced = new HashMap<>(FakeVerifier.valid("beta", "tok-2", "bob", List.of("read"), null));
        fenced.put(VerifierProtocol.ALLOWED_ADDRESSES, List.of("203.0.113.0/24"));
        answers.put(TokenHash.of(FENCED), fenced);
        Map<String, Object> limited =
                new HashMap<>(FakeVerifier.valid("acme", "tok-3", "carol", List.of("read"), null));
        limited.put(VerifierProtocol.RATE_LIMIT, List.of(1L, 60L));
        answers.put(TokenHash.of(LIMITED), limited);
        answers.put(TokenHash.of(DOWN), new EJBException("down"));
    }

    private KeygateFilter filter(Map<String, String> webXml) {
        try {
            return new KeygateFilter(FilterSettingsTest.settings(webXml), new VerifierClient(() -> keygate));
        } catch (ServletException e) {
            throw new AssertionError(e);
        }
    }

    private int status(FakeRequest request) throws IOException, ServletException {
        FakeResponse response = new FakeResponse();
        filter.doFilter(request.build(), response.build(), new RecordingChain());
        return response.status;
    }

    private static String key(String prefix, String client, String reason, String tenant) {
        return prefix + "|" + client + "|" + reason + "|" + tenant;
    }

    private static String prefix(String token) {
        return TokenFormat.displayPrefix(token);
    }

    @Test
    void everyFailedAuthenticationIsCountedUnderItsPrefixClientAndReason() throws Exception {
        String badChecksum = READ_TOKEN.substring(0, 38) + (READ_TOKEN.endsWith("0") ? "1" : "0");
        assertEquals(400, status(FakeRequest.get("/api/whoami").header("Authorization", "Bearer a b")));
        assertEquals(400, status(FakeRequest.get("/api/whoami").bearer(READ_TOKEN).bearer(READ_TOKEN)));
        assertEquals(401, status(FakeRequest.get("/api/whoami").bearer(badChecksum)));
        assertEquals(401, status(FakeRequest.get("/api/whoami").bearer("not-a-keygate-token")));
        assertEquals(401, status(FakeRequest.get("/api/whoami").bearer(UNKNOWN)));
        assertEquals(401, status(FakeRequest.get("/api/whoami").bearer(UNKNOWN)));
        assertEquals(401, status(FakeRequest.get("/api/whoami").bearer(EXPIRED)));
        assertEquals(403, status(FakeRequest.get("/api/whoami").bearer(FENCED)));

        filter.failures().handOver();

        assertEquals(Map.of(
                key(null, CLIENT, "malformed", null), 2L,
                key(prefix(READ_TOKEN), CLIENT, "checksum", null), 1L,
                key(null, CLIENT, "checksum", null), 1L,
                key(prefix(UNKNOWN), CLIENT, "invalid", null), 2L,
                key(prefix(EXPIRED), CLIENT, "expired", null), 1L,
                key(prefix(FENCED), CLIENT, "address", "beta"), 1L), keygate.failureCounts());
        assertEquals("/sample", keygate.failureReports.get(0).application());
    }

    @Test
    void whatIsNotAFailedAuthenticationIsNotCounted() throws Exception {
        assertEquals(401, status(FakeRequest.get("/api/whoami")), "no credentials is not an attempt");
        assertEquals(200, status(FakeRequest.get("/api/whoami").bearer(READ_TOKEN)));
        assertEquals(403, status(FakeRequest.get("/api/notes").method("POST").bearer(READ_TOKEN)), "missing scope");
        assertEquals(200, status(FakeRequest.get("/api/whoami").bearer(LIMITED)));
        assertEquals(429, status(FakeRequest.get("/api/whoami").bearer(LIMITED)), "a rate limit is a quota");
        assertEquals(503, status(FakeRequest.get("/api/whoami").bearer(DOWN)), "no verdict is no failure");
        assertEquals(200, status(FakeRequest.get("/public/status").bearer(DOWN)), "nor on a public path");
        assertEquals(200, status(FakeRequest.get("/public/status")), "no credentials on a public path");
        assertEquals(200, status(FakeRequest.get("/public/status").bearer(READ_TOKEN)));
        assertEquals(403, status(FakeRequest.get("/api/whoami").secure(false).remoteAddr("203.0.113.5")
                .bearer(UNKNOWN)), "https_required is answered before any token is looked at");

        filter.failures().handOver();

        assertEquals(0, keygate.failureCalls, "an empty tally sends nothing");
    }

    @Test
    void throttledRequestsAreCountedAsThrottledAndAnsweredAsBefore() throws Exception {
        filter = filter(Map.of(ThrottleSettings.MAX_FAILURES, "2"));
        assertEquals(401, status(FakeRequest.get("/api/whoami").bearer(UNKNOWN)));
        assertEquals(401, status(FakeRequest.get("/api/whoami").bearer(UNKNOWN)));
        assertEquals(429, status(FakeRequest.get("/api/whoami").bearer(UNKNOWN)));
        assertEquals(429, status(FakeRequest.get("/api/whoami").bearer(READ_TOKEN)), "before the token is looked at");
        assertEquals(429, status(FakeRequest.get("/api/whoami").header("Authorization", "Bearer a b")));

        filter.failures().handOver();

        assertEquals(Map.of(
                key(prefix(UNKNOWN), CLIENT, "invalid", null), 2L,
                key(prefix(UNKNOWN), CLIENT, "throttled", null), 1L,
                key(prefix(READ_TOKEN), CLIENT, "throttled", null), 1L,
                key(null, CLIENT, "throttled", null), 1L), keygate.failureCounts());
    }

    /** The principal's name the application got, {@code null} for anonymous; the request always passes. */
    private String passedAs(FakeRequest request) throws IOException, ServletException {
        RecordingChain chain = new RecordingChain();
        FakeResponse response = new FakeResponse();
        filter.doFilter(request.build(), response.build(), chain);
        assertTrue(chain.passed() && response.status == 200, "a public path never fails: " + response.status);
        return chain.request.getUserPrincipal() == null ? null : chain.request.getUserPrincipal().getName();
    }

    @Test
    void inventedTokensOnAPublicPathAreThrottledWithoutEverFailingIt() throws Exception {
        filter = filter(Map.of(FilterSettings.PUBLIC_PATHS, "/public/*", ThrottleSettings.MAX_FAILURES, "5"));
        for (int i = 0; i < 50; i++) {
            assertEquals(null, passedAs(FakeRequest.get("/public/status").bearer(TokenFormat.generate(RANDOM))));
        }

        assertEquals(5, keygate.calls(), "invented tokens beyond the threshold reach no verifier, no store");
        assertEquals(null, passedAs(FakeRequest.get("/public/status").bearer(READ_TOKEN)),
                "a throttled client stays anonymous, even with a valid token");
        assertEquals(5, keygate.calls());
        assertEquals(429, status(FakeRequest.get("/api/whoami").bearer(READ_TOKEN)),
                "the same client's protected path is throttled");
        assertEquals("alice", passedAs(FakeRequest.get("/public/status").remoteAddr("192.0.2.99").bearer(READ_TOKEN)),
                "another client is not");
        assertEquals(200, status(FakeRequest.get("/api/whoami").remoteAddr("192.0.2.99").bearer(READ_TOKEN)));

        filter.failures().handOver();
        Map<String, Long> byReason = new HashMap<>();
        keygate.failureCounts().forEach((key, count) -> byReason.merge(key.split("\\|")[2], count, Long::sum));
        assertEquals(Map.of("invalid", 5L, "throttled", 47L), byReason, "counted for the audit log too");
    }

    @Test
    void aTokenBeyondItsRateLimitOnAPublicPathIsServedAnonymouslyAndSpendsItsSecretsBudget() throws Exception {
        String accessToken = TokenFormat.generate(RANDOM);
        Map<String, Object> issuedByLimited =
                new HashMap<>(FakeVerifier.valid("acme", "tok-4", "carol", List.of("read"), null));
        issuedByLimited.put(VerifierProtocol.PARENT_ID, "tok-3");
        issuedByLimited.put(VerifierProtocol.RATE_LIMIT, List.of(1L, 60L));
        answers.put(TokenHash.of(accessToken), issuedByLimited);

        assertEquals("carol", passedAs(FakeRequest.get("/public/status").bearer(LIMITED)), "within its limit (1/60 s)");
        assertEquals(null, passedAs(FakeRequest.get("/public/status").bearer(LIMITED)),
                "beyond it: anonymous, never refused");
        assertEquals(null, passedAs(FakeRequest.get("/public/status").bearer(accessToken)),
                "an access token spends its secret's budget");
        assertEquals(429, status(FakeRequest.get("/api/whoami").bearer(LIMITED)),
                "the public path spent what the protected path counts");
        for (int i = 0; i < 100; i++) {
            assertEquals("alice", passedAs(FakeRequest.get("/public/status").bearer(READ_TOKEN)), "no limit, no end");
        }

        filter.failures().handOver();
        assertEquals(Map.of(), keygate.failureCounts(), "a quota is not a failed authentication");
    }

    @Test
    void failuresOnAPublicPathAreCountedLikeOnAProtectedOne() throws Exception {
        String badChecksum = READ_TOKEN.substring(0, 38) + (READ_TOKEN.endsWith("0") ? "1" : "0");
        assertEquals(null, passedAs(FakeRequest.get("/public/status").header("Authorization", "Bearer a b")));
        assertEquals(null, passedAs(FakeRequest.get("/public/status").bearer(badChecksum)));
        assertEquals(null, passedAs(FakeRequest.get("/public/status").bearer(UNKNOWN)));
        assertEquals(null, passedAs(FakeRequest.get("/public/status").bearer(EXPIRED)));
        assertEquals(null, passedAs(FakeRequest.get("/public/status").bearer(FENCED)));
        assertEquals(null, passedAs(FakeRequest.get("/public/status").header("Authorization", "Basic dXNlcjpwYXNz")));
        assertEquals("alice", passedAs(FakeRequest.get("/public/status").bearer(READ_TOKEN)));

        filter.failures().handOver();

        assertEquals(Map.of(
                key(null, CLIENT, "malformed", null), 1L,
                key(prefix(READ_TOKEN), CLIENT, "checksum", null), 1L,
                key(prefix(UNKNOWN), CLIENT, "invalid", null), 1L,
                key(prefix(EXPIRED), CLIENT, "expired", null), 1L,
                key(prefix(FENCED), CLIENT, "address", "beta"), 1L), keygate.failureCounts());
    }

    @Test
    void behindATrustedProxyTheClientIsTheForwardedAddress() throws Exception {
        filter = filter(Map.of(TransportSecurity.TRUSTED_PROXIES, "10.0.0.0/8"));
        assertEquals(401, status(FakeRequest.get("/api/whoami").remoteAddr("10.0.0.1")
                .header("X-Forwarded-For", "198.51.100.7, 10.0.0.2").bearer(UNKNOWN)));
        assertEquals(401, status(FakeRequest.get("/api/whoami").remoteAddr("10.0.0.1")
                .header("X-Forwarded-For", "not-an-address").bearer(UNKNOWN)));

        filter.failures().handOver();

        assertEquals(Map.of(key(prefix(UNKNOWN), "198.51.100.7", "invalid", null), 1L,
                key(prefix(UNKNOWN), RequestLimits.UNKNOWN_CLIENT, "invalid", null), 1L), keygate.failureCounts());
    }

    @Test
    void nothingHandedOverHoldsATokenOrAHash() throws Exception {
        List<String> tokens = List.of(UNKNOWN, EXPIRED, FENCED, READ_TOKEN.substring(0, 38) + "!",
                READ_TOKEN.substring(0, 38) + (READ_TOKEN.endsWith("0") ? "1" : "0"), "x".repeat(5000),
                "dev-only-admin-token-0123456789abcdef");
        for (String token : tokens) {
            status(FakeRequest.get("/api/whoami").bearer(token));
        }
        filter.failures().handOver();

        String sent = ProtocolJson.toJson(keygate.failureReports.stream().map(FailureReport::toWire).toList()).toString();
        assertTrue(sent.contains(prefix(UNKNOWN)), sent);
        for (String token : tokens) {
            assertFalse(sent.contains(token.substring(Math.min(8, token.length() - 1))), "a secret part: " + sent);
            assertFalse(sent.contains(TokenHash.of(token)), "a hash: " + sent);
        }
        assertFalse(sent.contains("dev-only"), "no part of a secret that is not a Keygate token: " + sent);
    }

    @Test
    void doFilterWhenPlainHttpThrottleActiveAndTokenRefusedThenClientAddressWorkedOutOnce() throws Exception {
        filter = filter(Map.of(ThrottleSettings.MAX_FAILURES, "5"));
        status(FakeRequest.get("/api").remoteAddr("127.0.0.1").secure(false).bearer(UNKNOWN));
        for (String token : List.of(UNKNOWN, FENCED)) {
            int[] calls = {0};
            HttpServletRequest counted = new HttpServletRequestWrapper(
                    FakeRequest.get("/api").remoteAddr("127.0.0.1").secure(false).bearer(token).build()) {
                @Override
                public String getRemoteAddr() {
                    calls[0]++;
                    return super.getRemoteAddr();
                }
            };
            FakeResponse response = new FakeResponse();
            filter.doFilter(counted, response.build(), new RecordingChain());
            assertEquals(token == UNKNOWN ? 401 : 403, response.status);
            assertEquals(1, calls[0], "transport check, throttle, failure count and allowlist share one look-up");
        }
    }
}
