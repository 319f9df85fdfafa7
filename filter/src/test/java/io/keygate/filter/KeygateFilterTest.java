package io.keygate.filter;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.keygate.bearer.BearerTokenResolver;
import io.keygate.protocol.VerifierProtocol;
import io.keygate.testing.FakeRequest;
import io.keygate.token.TokenFormat;
import io.keygate.token.TokenHash;
import jakarta.ejb.EJBException;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import java.io.IOException;
import java.security.SecureRandom;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The table "What the filter answers" of the specification, row by row, without a container. */
class KeygateFilterTest {

    private static final SecureRandom RANDOM = new SecureRandom();
    private static final String READ_TOKEN = TokenFormat.generate(RANDOM);
    private static final String WRITE_TOKEN = TokenFormat.generate(RANDOM);
    private static final String REVOKED = TokenFormat.generate(RANDOM);
    private static final String EXPIRED = TokenFormat.generate(RANDOM);
    private static final String UNKNOWN = TokenFormat.generate(RANDOM);

    private final Map<String, Object> answers = new HashMap<>();
    private final FakeVerifier verifier = new FakeVerifier(
            hash -> answers.getOrDefault(hash, FakeVerifier.result(VerifierProtocol.INVALID)));
    private KeygateFilter filter = filter(Map.of(FilterSettings.PUBLIC_PATHS, "/public/*"));

    KeygateFilterTest() {
        answers.put(TokenHash.of(READ_TOKEN), FakeVerifier.valid("alice", List.of("read")));
        answers.put(TokenHash.of(WRITE_TOKEN), FakeVerifier.valid("ci-bot", List.of("write", "reports:read")));
        answers.put(TokenHash.of(REVOKED), FakeVerifier.result(VerifierProtocol.INVALID));
        answers.put(TokenHash.of(EXPIRED), FakeVerifier.result(VerifierProtocol.EXPIRED));
    }

    private KeygateFilter filter(Map<String, String> webXml) {
        try {
            return new KeygateFilter(FilterSettingsTest.settings(webXml), new VerifierClient(() -> verifier));
        } catch (ServletException e) {
            throw new AssertionError(e);
        }
    }

    private final RecordingChain chain = new RecordingChain();

    private FakeResponse run(FakeRequest request) throws IOException, ServletException {
        FakeResponse response = new FakeResponse();
        filter.doFilter(request.build(), response.build(), chain);
        return response;
    }

    private static void assertError(FakeResponse response, int status, String challenge, String body) {
        assertEquals(status, response.status);
        assertEquals(challenge, response.header("WWW-Authenticate"));
        assertEquals("application/json", response.contentType);
        assertEquals("no-store", response.header("Cache-Control"));
        assertEquals(body, response.bodyText());
    }

    @Test
    void publicPathWithoutTokenThenPassesAnonymous() throws Exception {
        run(FakeRequest.get("/public/status"));
        assertTrue(chain.passed());
        assertNull(chain.request.getUserPrincipal());
        assertNull(chain.request.getAttribute(AuthenticatedRequest.TENANT));
        assertNull(chain.request.getAttribute(AuthenticatedRequest.SUBJECT));
        assertEquals(0, verifier.calls());
    }

    @Test
    void publicPathWithValidTokenThenPassesWithPrincipal() throws Exception {
        run(FakeRequest.get("/public/status").bearer(READ_TOKEN));
        assertTrue(chain.passed());
        assertEquals("alice", chain.request.getUserPrincipal().getName());
        assertEquals("acme", chain.request.getAttribute(AuthenticatedRequest.TENANT));
        assertEquals("acme/alice", chain.request.getAttribute(AuthenticatedRequest.SUBJECT));
    }

    @Test
    void publicPathWithAnyBadCredentialsThenPassesAnonymous() throws Exception {
        for (FakeRequest request : List.of(
                FakeRequest.get("/public/status").header("Authorization", "Bearer"),
                FakeRequest.get("/public/status").header("Authorization", "Basic dXNlcjpwYXNz"),
                FakeRequest.get("/public/status").bearer(READ_TOKEN).bearer(READ_TOKEN),
                FakeRequest.get("/public/status").bearer("kg_notachecksum"),
                FakeRequest.get("/public/status").bearer(REVOKED),
                FakeRequest.get("/public/status").bearer(EXPIRED))) {
            RecordingChain recording = new RecordingChain();
            FakeResponse response = new FakeResponse();
            filter.doFilter(request.build(), response.build(), recording);
            assertTrue(recording.passed(), request.toString());
            assertNull(recording.request.getUserPrincipal());
            assertEquals(200, response.status);
        }
    }

    @Test
    void publicPathWhenVerifierUnavailableThenPassesAnonymous() throws Exception {
        filter = new KeygateFilter(FilterSettingsTest.settings(Map.of(FilterSettings.PUBLIC_PATHS, "/public/*")),
                new VerifierClient(() -> {
                    throw new javax.naming.NameNotFoundException("keygate");
                }));
        FakeResponse response = run(FakeRequest.get("/public/status").bearer(READ_TOKEN));
        assertTrue(chain.passed());
        assertNull(chain.request.getUserPrincipal());
        assertEquals(200, response.status);
    }

    @Test
    void publicPathTrickThenProtected() throws Exception {
        for (String path : List.of("/public/../api/whoami", "/public/%2e%2e/api/whoami", "/public/..%2fapi")) {
            RecordingChain recording = new RecordingChain();
            FakeResponse response = new FakeResponse();
            filter.doFilter(FakeRequest.get(path).build(), response.build(), recording);
            assertFalse(recording.passed(), path);
            assertEquals(401, response.status, path);
        }
        run(FakeRequest.get("/public;x=y/status"));
        assertTrue(chain.passed());
    }

    @Test
    void protectedPathWithoutHeaderThen401BareChallengeWithBody() throws Exception {
        FakeResponse response = run(FakeRequest.get("/api/whoami"));
        assertFalse(chain.passed());
        assertError(response, 401, "Bearer realm=\"/sample\"",
                "{\"error\":\"unauthorized\",\"error_description\":\"A bearer token is required\"}");
        assertEquals(0, verifier.calls());
    }

    @Test
    void protectedPathWithOtherSchemeThen401BareChallenge() throws Exception {
        FakeResponse response = run(FakeRequest.get("/api/whoami").header("Authorization", "Basic dXNlcjpwYXNz"));
        assertEquals(401, response.status);
        assertEquals("Bearer realm=\"/sample\"", response.header("WWW-Authenticate"));
    }

    @Test
    void protectedPathWithMalformedHeaderThen400InvalidRequest() throws Exception {
        FakeResponse response = run(FakeRequest.get("/api/whoami").header("Authorization", "Bearer a b"));
        assertError(response, 400, "Bearer realm=\"/sample\", error=\"invalid_request\","
                + " error_description=\"" + BearerTokenResolver.TWO_TOKENS + "\"",
                "{\"error\":\"invalid_request\",\"error_description\":\"" + BearerTokenResolver.TWO_TOKENS + "\"}");
        assertFalse(chain.passed());
        for (FakeRequest request : List.of(FakeRequest.get("/api/whoami").header("Authorization", "Bearer "),
                FakeRequest.get("/api/whoami").bearer("to!ken"),
                FakeRequest.get("/api/whoami").bearer(READ_TOKEN).bearer(READ_TOKEN))) {
            FakeResponse each = new FakeResponse();
            filter.doFilter(request.build(), each.build(), chain);
            assertEquals(400, each.status);
        }
        assertEquals(0, verifier.calls());
    }

    @Test
    void protectedPathWithBadChecksumThen401WithoutCallingVerifier() throws Exception {
        String bad = READ_TOKEN.substring(0, 38) + (READ_TOKEN.endsWith("0") ? "1" : "0");
        FakeResponse response = run(FakeRequest.get("/api/whoami").bearer(bad));
        assertError(response, 401, "Bearer realm=\"/sample\", error=\"invalid_token\","
                + " error_description=\"The access token is invalid\"",
                "{\"error\":\"invalid_token\",\"error_description\":\"The access token is invalid\"}");
        assertEquals(0, verifier.calls());
        run(FakeRequest.get("/api/whoami").bearer("not-a-keygate-token"));
        assertEquals(0, verifier.calls());
    }

    @Test
    void unknownRevokedAndBadChecksumThenByteForByteSameAnswer() throws Exception {
        FakeResponse unknown = run(FakeRequest.get("/api/whoami").bearer(UNKNOWN));
        FakeResponse revoked = run(FakeRequest.get("/api/whoami").bearer(REVOKED));
        FakeResponse checksum = run(FakeRequest.get("/api/whoami").bearer("kg_" + "A".repeat(36)));
        for (FakeResponse other : List.of(revoked, checksum)) {
            assertEquals(unknown.status, other.status);
            assertEquals(unknown.headers, other.headers);
            assertEquals(unknown.contentType, other.contentType);
            assertArrayEquals(unknown.body.toByteArray(), other.body.toByteArray());
        }
        assertEquals(401, unknown.status);
        assertEquals(2, verifier.calls());
    }

    @Test
    void protectedPathWithExpiredTokenThen401SayingExpired() throws Exception {
        FakeResponse response = run(FakeRequest.get("/api/whoami").bearer(EXPIRED));
        assertError(response, 401, "Bearer realm=\"/sample\", error=\"invalid_token\","
                + " error_description=\"The access token expired\"",
                "{\"error\":\"invalid_token\",\"error_description\":\"The access token expired\"}");
    }

    @Test
    void readTokenOnPostThen403InsufficientScopeWrite() throws Exception {
        FakeResponse response = run(FakeRequest.get("/api/notes").method("POST").bearer(READ_TOKEN));
        assertError(response, 403, "Bearer realm=\"/sample\", error=\"insufficient_scope\", scope=\"write\"",
                "{\"error\":\"insufficient_scope\",\"error_description\":\"The access token does not have the"
                        + " scope write\"}");
        assertFalse(chain.passed());
    }

    @Test
    void validTokenThenChainSeesPrincipalAuthTypeRolesAndAttributes() throws Exception {
        FakeRequest fake = FakeRequest.get("/notes").servletPath("/api", "/notes").method("POST").bearer(WRITE_TOKEN);
        FakeResponse response = run(fake);
        assertTrue(chain.passed());
        assertEquals(200, response.status);
        HttpServletRequest seen = chain.request;
        assertEquals("ci-bot", seen.getUserPrincipal().getName());
        assertEquals("ci-bot", seen.getRemoteUser());
        assertEquals("Bearer", seen.getAuthType());
        assertTrue(seen.isUserInRole("write"));
        assertTrue(seen.isUserInRole("read"));
        assertTrue(seen.isUserInRole("reports:read"));
        assertFalse(seen.isUserInRole("admin"));
        assertEquals("acme", seen.getAttribute("keygate.tenant"));
        assertEquals("tok-1", seen.getAttribute("keygate.token.id"));
        assertEquals("Website Integration", seen.getAttribute("keygate.token.name"));
        assertEquals(Set.of("write", "reports:read"), seen.getAttribute("keygate.scopes"));
        assertEquals("acme/ci-bot", seen.getAttribute("keygate.subject"));
        assertEquals(List.of(TokenHash.of(WRITE_TOKEN)), verifier.hashes);
    }

    @Test
    void theSameOwnerNamedByAnotherTenantThenTheSameNameButAnotherSubject() throws Exception {
        String impostor = TokenFormat.generate(RANDOM);
        answers.put(TokenHash.of(impostor), FakeVerifier.valid("evil", "tok-9", "alice", List.of("read"), null));
        run(FakeRequest.get("/api/whoami").bearer(READ_TOKEN));
        HttpServletRequest real = chain.request;
        run(FakeRequest.get("/api/whoami").bearer(impostor));
        HttpServletRequest other = chain.request;

        assertEquals("alice", real.getUserPrincipal().getName());
        assertEquals("alice", other.getUserPrincipal().getName(), "the owner as written: free text");
        assertEquals("acme/alice", real.getAttribute(AuthenticatedRequest.SUBJECT));
        assertEquals("evil/alice", other.getAttribute(AuthenticatedRequest.SUBJECT));
        assertFalse(real.getUserPrincipal().equals(other.getUserPrincipal()));
    }

    @Test
    void validReadTokenOnGetAndHeadThenPasses() throws Exception {
        run(FakeRequest.get("/api/whoami").bearer(READ_TOKEN));
        run(FakeRequest.get("/api/whoami").method("HEAD").bearer(READ_TOKEN));
        assertEquals(2, chain.calls);
    }

    @Test
    void scopeRuleThenCustomScopeRequiredAndNamed() throws Exception {
        filter = filter(Map.of(FilterSettings.SCOPE_RULES, "GET /api/reports/** = reports:read;"
                + " POST /api/reports/** = reports:write"));
        assertEquals(403, run(FakeRequest.get("/api/reports/1").bearer(READ_TOKEN)).status);
        run(FakeRequest.get("/api/reports/1").bearer(WRITE_TOKEN));
        assertTrue(chain.passed());
        FakeResponse response = run(FakeRequest.get("/api/reports/1").method("POST").bearer(WRITE_TOKEN));
        assertEquals("Bearer realm=\"/sample\", error=\"insufficient_scope\", scope=\"reports:write\"",
                response.header("WWW-Authenticate"));
    }

    @Test
    void verifierUnavailableThen503RetryAfterNoChallenge() throws Exception {
        verifier.answer(hash -> new EJBException("down"));
        FakeResponse response = run(FakeRequest.get("/api/whoami").bearer(READ_TOKEN));
        assertError(response, 503, null, "{\"error\":\"temporarily_unavailable\","
                + "\"error_description\":\"The token verifier is not available, retry later\"}");
        assertEquals("5", response.header("Retry-After"));
        assertFalse(chain.passed());
    }

    @Test
    void verifierUnavailableThenMissingTokenStill401AndBadChecksumStill401() throws Exception {
        verifier.answer(hash -> new EJBException("down"));
        assertEquals(401, run(FakeRequest.get("/api/whoami")).status);
        assertEquals(401, run(FakeRequest.get("/api/whoami").bearer("kg_" + "A".repeat(36))).status);
    }

    @Test
    void plainHttpFromInternetThen403HttpsRequiredBeforeTokenCheck() throws Exception {
        FakeResponse response = run(FakeRequest.get("/api/whoami").secure(false).remoteAddr("203.0.113.5")
                .bearer(READ_TOKEN));
        assertError(response, 403, null, "{\"error\":\"https_required\",\"error_description\":\"HTTPS is required\"}");
        assertEquals(0, verifier.calls());
        assertEquals(403, run(FakeRequest.get("/public/status").secure(false).remoteAddr("203.0.113.5")).status);
    }

    @Test
    void plainHttpFromLoopbackThenAllowed() throws Exception {
        run(FakeRequest.get("/api/whoami").secure(false).remoteAddr("127.0.0.1").bearer(READ_TOKEN));
        assertTrue(chain.passed());
    }

    @Test
    void rootContextThenRealmSlash() throws Exception {
        filter = new KeygateFilter(FilterSettingsTest.settings(Map.of(), ""), new VerifierClient(() -> verifier));
        assertEquals("Bearer realm=\"/\"", run(FakeRequest.get("/x")).header("WWW-Authenticate"));
    }

    @Test
    void noResponseOrLogEverContainsTheToken() throws Exception {
        try (LogCapture log = new LogCapture()) {
            verifier.answer(hash -> new EJBException("failed for " + hash));
            List<String> tokens = List.of(READ_TOKEN, "kg_" + "A".repeat(36), "x".repeat(5000));
            for (String token : tokens) {
                for (String path : List.of("/api/whoami", "/public/status")) {
                    FakeResponse response = run(FakeRequest.get(path).bearer(token));
                    String everything = response.headers + response.bodyText();
                    assertFalse(everything.contains(token), everything);
                    assertFalse(everything.contains(TokenHash.of(token)), everything);
                }
            }
            for (String token : tokens) {
                assertFalse(log.text().contains(token));
                assertFalse(log.text().contains(TokenHash.of(token)));
            }
        }
    }

    @Test
    void chainRequestIsTheOriginalWhenAnonymous() throws Exception {
        FakeRequest fake = FakeRequest.get("/public/status");
        HttpServletRequest original = fake.build();
        filter.doFilter(original, new FakeResponse().build(), chain);
        assertSame(original, chain.request);
    }
}
