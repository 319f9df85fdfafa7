package io.keygate.filter;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.keygate.config.ConfigLookup;
import io.keygate.filter.handover.FailureRecorder;
import io.keygate.filter.remote.RemoteSettings;
import io.keygate.filter.remote.VerifierOverHttp;
import io.keygate.protocol.ChangeSet;
import io.keygate.protocol.FailureReport;
import io.keygate.protocol.ProtocolJson;
import io.keygate.protocol.UsageReport;
import io.keygate.protocol.VerifierProtocol;
import io.keygate.testing.FakeRequest;
import io.keygate.token.TokenFormat;
import io.keygate.token.TokenHash;
import jakarta.json.Json;
import jakarta.json.JsonObject;
import jakarta.servlet.ServletException;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.logging.Level;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Remote mode against a real HTTP server that speaks the verifier's HTTP binding the way {@code keygate.war} does
 * (answers from a {@link FakeVerifier}): verdicts, the polled generation, a restarted verifier, usage, failures.
 */
class VerifierOverHttpTest {

    private static final SecureRandom RANDOM = new SecureRandom();
    private static final String CREDENTIAL = RemoteSettingsTest.CREDENTIAL;
    private static final String TOKEN = TokenFormat.generate(RANDOM);
    private static final String UNKNOWN = TokenFormat.generate(RANDOM);

    private final Map<String, Object> answers = new ConcurrentHashMap<>(Map.of(TokenHash.of(TOKEN),
            FakeVerifier.valid("acme", "tok-1", "alice", List.of("read"), null)));
    private volatile FakeVerifier keygate = new FakeVerifier(
            hash -> answers.getOrDefault(hash, FakeVerifier.result(VerifierProtocol.INVALID))).subscribable();
    private volatile String log = "log-1";
    private volatile int forcedStatus;
    /** Answers the writing functions 403 insufficient_scope, as keygate.war does to a credential without report. */
    private volatile boolean refuseReports;
    /** Every request body and Authorization header the server received. */
    private final List<String> bodies = Collections.synchronizedList(new ArrayList<>());
    private final List<String> authorizations = Collections.synchronizedList(new ArrayList<>());
    private final HttpServer server;
    private final RemoteSettings settings;
    private final VerifierOverHttp remote;
    private final VerifierClient client;

    VerifierOverHttpTest() throws IOException, ServletException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/keygate" + VerifierProtocol.HTTP_PATH, this::answer);
        server.start();
        settings = RemoteSettings.read(new ConfigLookup(null, Map.of(
                RemoteSettings.URL, "http://127.0.0.1:" + server.getAddress().getPort() + "/keygate",
                RemoteSettings.TOKEN, CREDENTIAL, RemoteSettings.TIMEOUT_MILLIS, "1000")::get, Map.of(),
                new Properties())).orElseThrow();
        remote = new VerifierOverHttp(settings);
        client = VerifierClient.remote(remote, settings);
    }

    @AfterEach
    void stop() {
        remote.close();
        server.stop(0);
    }

    /** What {@code VerifierServlet} does, over {@link FakeVerifier}. */
    private void answer(HttpExchange exchange) throws IOException {
        String body;
        try (InputStream in = exchange.getRequestBody()) {
            body = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        bodies.add(body);
        authorizations.add(exchange.getRequestHeaders().getFirst("Authorization"));
        int status = forcedStatus;
        String answer = "{}";
        if (status == 0 && !("Bearer " + CREDENTIAL).equals(exchange.getRequestHeaders().getFirst("Authorization"))) {
            status = 401;
        }
        if (status == 0 && refuseReports && (body.contains(VerifierProtocol.RECORD_USAGE)
                || body.contains(VerifierProtocol.RECORD_FAILURES))) {
            status = 403;
            exchange.getResponseHeaders().add("WWW-Authenticate", "Bearer realm=\"keygate\","
                    + " error=\"insufficient_scope\", error_description=\"The access token does not have the scope"
                    + " report\", scope=\"report\"");
        }
        if (status == 0) {
            JsonObject call = Json.createReader(new java.io.StringReader(body)).readObject();
            String function = call.getString(VerifierProtocol.FUNCTION);
            Object[] args = ((List<?>) ProtocolJson.fromJson(call.getJsonArray(VerifierProtocol.ARGUMENTS))).toArray();
            Object result;
            try {
                result = function.equals(VerifierProtocol.SUBSCRIBE)
                        ? Map.of(VerifierProtocol.GENERATION, keygate.generation().get(), VerifierProtocol.LOG, log)
                        : keygate.invokeFunction(function, args);
                answer = Json.createObjectBuilder().add(VerifierProtocol.ANSWER, ProtocolJson.toJson(result))
                        .build().toString();
                status = 200;
            } catch (NoSuchMethodException e) {
                status = 400;
            } catch (Exception e) {
                status = 503;
            }
        }
        byte[] bytes = answer.getBytes(StandardCharsets.UTF_8);
        exchange.sendResponseHeaders(status, bytes.length);
        exchange.getResponseBody().write(bytes);
        exchange.close();
    }

    @Test
    void verifyThenValidVerdictOverHttpWithTheCredentialAndOnlyTheHash() {
        VerificationResult result = client.verify(TokenHash.of(TOKEN));
        VerifiedToken token = assertInstanceOf(VerificationResult.Valid.class, result).token();
        assertEquals("alice", token.principal());
        assertEquals("tok-1", token.tokenId());
        assertInstanceOf(VerificationResult.Invalid.class, client.verify(TokenHash.of(UNKNOWN)));
        assertEquals(List.of("Bearer " + CREDENTIAL, "Bearer " + CREDENTIAL), authorizations);
        assertTrue(bodies.get(0).contains(TokenHash.of(TOKEN)), bodies.get(0));
        assertFalse(String.join("\n", bodies).contains(TOKEN), "a token must never cross the network");
    }

    @Test
    void verifyWhenRemoteCannotAnswerThenUnavailableAndTheLogNamesUrlAndStatusOnly() {
        forcedStatus = 503;
        try (LogCapture captured = new LogCapture()) {
            assertInstanceOf(VerificationResult.Unavailable.class, client.verify(TokenHash.of(TOKEN)));
            String text = captured.text();
            assertTrue(text.contains(settings.baseUrl().toString()) && text.contains("HTTP 503"), text);
            assertFalse(text.contains(CREDENTIAL) || text.contains(TokenHash.of(TOKEN)), text);
        }
    }

    @Test
    void verifyWhenCredentialRefusedThenUnavailableAndOneWarningNamingTheKey() {
        forcedStatus = 401;
        try (LogCapture captured = new LogCapture()) {
            for (int i = 0; i < 3; i++) {
                assertInstanceOf(VerificationResult.Unavailable.class, client.verify(TokenHash.of(TOKEN)));
            }
            String text = captured.text();
            assertEquals(1, text.lines().filter(l -> l.contains("refused the credential")).count(), text);
            assertTrue(text.contains(RemoteSettings.TOKEN), text);
            assertFalse(text.contains(CREDENTIAL), text);
        }
    }

    @Test
    void verifyWhenServerGoneThenUnavailable() {
        server.stop(0);
        assertInstanceOf(VerificationResult.Unavailable.class, client.verify(TokenHash.of(TOKEN)));
    }

    @Test
    void pollThenLocalGenerationFollowsTheRemoteOne() {
        AtomicLong generation = client.subscribe();
        assertNotNull(generation);
        assertEquals(0, generation.get());
        keygate.change(List.of(TokenHash.of(TOKEN)), List.of());
        keygate.change(List.of(), List.of("acme"));
        assertEquals(0, generation.get(), "moves only when polled");
        remote.poll();
        assertEquals(2, generation.get());
        ChangeSet changes = client.changesSince(0);
        assertEquals(List.of(TokenHash.of(TOKEN)), changes.tokens());
        assertEquals(List.of("acme"), changes.tenants());
    }

    /**
     * Over HTTP, a keygate.war older than changesSince's second argument answers it 400: the filter asks again with
     * one argument and keeps following the changes; a current one gets the keys the filter acts on.
     */
    @Test
    void changesSinceFromAnOlderRemoteKeygateWarThen400AndAskedAgainWithOneArgument() {
        keygate.oneArgumentChangesSince();
        AtomicLong generation = client.subscribe();
        keygate.change(List.of("5".repeat(64)), List.of(), List.of("tok-secret"));
        remote.poll();

        assertEquals(new ChangeSet(1, List.of("5".repeat(64)), List.of(), List.of("tok-secret"), true),
                client.changesSince(0));
        assertEquals(1, generation.get());
        assertEquals(List.of(List.of(0L, List.of(VerifierProtocol.CHANGED_SECRETS)), List.of(0L)),
                keygate.changesSinceCalls);
        assertInstanceOf(VerificationResult.Valid.class, client.verify(TokenHash.of(TOKEN)), "verdicts still work");
    }

    @Test
    void accessTokensSecretAndChangedSecretsCrossHttp() {
        answers.put(TokenHash.of(TOKEN), FakeVerifier.validAccessToken("acme", "tok-access", "tok-secret",
                List.of("read")));
        VerifiedToken token = assertInstanceOf(VerificationResult.Valid.class, client.verify(TokenHash.of(TOKEN)))
                .token();
        assertEquals("tok-secret", token.parentId());

        AtomicLong generation = client.subscribe();
        keygate.change(List.of("5".repeat(64)), List.of(), List.of("tok-secret"));
        remote.poll();
        assertEquals(1, generation.get());
        ChangeSet changes = client.changesSince(0);
        assertEquals(List.of("tok-secret"), changes.secrets());
        assertEquals(List.of("5".repeat(64)), changes.tokens());
    }

    @Test
    void pollWhenRemoteRestartedThenRetiredAndANewSubscription() {
        AtomicLong first = client.subscribe();
        keygate.change(List.of(), List.of("acme"));
        remote.poll();
        keygate = new FakeVerifier(hash -> FakeVerifier.result(VerifierProtocol.INVALID)).subscribable();
        log = "log-2";
        remote.poll();
        assertEquals(VerifierProtocol.RETIRED_GENERATION, first.get());
        AtomicLong second = client.subscribe();
        assertNotSame(first, second);
        assertEquals(0, second.get());
    }

    @Test
    void pollWhenRemoteUnreachableThenGenerationStaysAndNothingThrows() {
        AtomicLong generation = client.subscribe();
        server.stop(0);
        remote.poll();
        assertEquals(0, generation.get());
    }

    @Test
    void recordUsageThenTheRemoteCountsThem() {
        assertTrue(client.recordUsage(uses("tok-1", 3L, 1_800_000_000_000L), Map::of));
        assertEquals(Map.of("tok-1", 3L), keygate.recordedCounts());
        forcedStatus = 503;
        assertFalse(client.recordUsage(uses("tok-1", 1L, 1_800_000_000_001L), Map::of));
    }

    @Test
    void recordFailuresThenTheRemoteTakesTheReportAsJsonWithoutATokenOrHash() throws Exception {
        KeygateFilter filter = new KeygateFilter(FilterSettingsTest.settings(Map.of()), client);
        assertEquals(401, status(filter, UNKNOWN));
        assertEquals(401, status(filter, UNKNOWN));
        bodies.clear();

        filter.failures().handOver();

        assertEquals(Map.of(TokenFormat.displayPrefix(UNKNOWN) + "|192.0.2.10|invalid|null", 2L),
                keygate.failureCounts());
        assertEquals("/sample", keygate.failureReports.get(0).application());
        assertEquals(1, bodies.size());
        assertTrue(bodies.get(0).contains(VerifierProtocol.RECORD_FAILURES), bodies.get(0));
        assertFalse(bodies.get(0).contains(UNKNOWN.substring(8)) || bodies.get(0).contains(TokenHash.of(UNKNOWN)),
                bodies.get(0));
        assertEquals(0, filter.failures().pending());

        assertEquals(401, status(filter, UNKNOWN));
        forcedStatus = 503;
        filter.failures().handOver();
        assertEquals(1, filter.failures().pending(), "kept while the remote verifier cannot take it");
        forcedStatus = 0;
        filter.failures().handOver();
        assertEquals(0, filter.failures().pending());
        assertEquals(Map.of(TokenFormat.displayPrefix(UNKNOWN) + "|192.0.2.10|invalid|null", 3L),
                keygate.failureCounts());
    }

    @Test
    void recordFailuresWhenRemoteIsOlderThen400IsUnsupportedLoggedOnceAndVerdictsStillWork() {
        keygate = new FakeVerifier(hash -> answers.getOrDefault(hash, FakeVerifier.result(VerifierProtocol.INVALID)));
        FailureReport report = new FailureReport("/sample", 1L, 2L, List.of(), 1L);
        try (LogCapture captured = new LogCapture()) {
            for (int i = 0; i < 3; i++) {
                assertEquals(FailureRecorder.Outcome.UNSUPPORTED, client.recordFailures(report));
            }
            assertInstanceOf(VerificationResult.Valid.class, client.verify(TokenHash.of(TOKEN)));
            assertEquals(1, captured.count(Level.WARNING), captured.text());
            assertFalse(captured.text().contains(CREDENTIAL), captured.text());
        }
    }

    @Test
    void reportsWhenTheCredentialLacksTheReportScopeThenDroppedWithOneWarningAndVerdictsStillWork() {
        refuseReports = true;
        FailureReport report = new FailureReport("/sample", 1L, 2L, List.of(), 1L);
        try (LogCapture captured = new LogCapture()) {
            for (int i = 0; i < 3; i++) {
                assertTrue(client.recordUsage(uses("tok-1", 3L, 1_800_000_000_000L), Map::of),
                        "dropped, not kept to be sent again for ever");
                assertEquals(FailureRecorder.Outcome.TAKEN, client.recordFailures(report));
            }
            assertInstanceOf(VerificationResult.Valid.class, client.verify(TokenHash.of(TOKEN)));

            assertEquals(Map.of(), keygate.recordedCounts());
            assertEquals(2, bodies.size(), "one refused report, then nothing more is sent; then the verify");
            assertEquals(1, captured.count(Level.WARNING), captured.text());
            assertTrue(captured.text().contains("report scope"), captured.text());
            assertFalse(captured.text().contains(CREDENTIAL), captured.text());
        }
    }

    @Test
    void filterInRemoteModeThenCachesAndARevocationReachesItAtTheNextPoll() throws Exception {
        KeygateFilter filter = new KeygateFilter(FilterSettingsTest.settings(Map.of()), client);
        assertEquals(200, status(filter, TOKEN));
        int calls = bodies.size();
        assertEquals(200, status(filter, TOKEN));
        assertEquals(calls, bodies.size(), "a cached verdict needs no call");

        answers.put(TokenHash.of(TOKEN), FakeVerifier.result(VerifierProtocol.INVALID));
        keygate.change(List.of(TokenHash.of(TOKEN)), List.of());
        assertEquals(200, status(filter, TOKEN), "not yet polled: the cache still answers");
        remote.poll();
        assertEquals(401, status(filter, TOKEN));
    }

    @Test
    void filterInRemoteModeWhenRemoteDownThenCachedTokenPassesAndOthersGet503() throws Exception {
        KeygateFilter filter = new KeygateFilter(FilterSettingsTest.settings(Map.of()), client);
        assertEquals(200, status(filter, TOKEN));
        server.stop(0);
        remote.poll();
        assertEquals(200, status(filter, TOKEN));
        FakeResponse response = new FakeResponse();
        filter.doFilter(FakeRequest.get("/api/whoami").bearer(UNKNOWN).build(), response.build(),
                new RecordingChain());
        assertEquals(503, response.status);
        assertNotNull(response.header("Retry-After"));
    }

    private static int status(KeygateFilter filter, String token) throws Exception {
        FakeResponse response = new FakeResponse();
        filter.doFilter(FakeRequest.get("/api/whoami").bearer(token).build(), response.build(), new RecordingChain());
        return response.status;
    }

    @Test
    void logLevelsThenRefusalIsAWarning() {
        forcedStatus = 403;
        try (LogCapture captured = new LogCapture()) {
            client.verify(TokenHash.of(TOKEN));
            assertTrue(captured.count(Level.WARNING) >= 1);
        }
    }

    private static UsageReport uses(String tokenId, long count, long lastUsed) {
        return new UsageReport(Map.of(tokenId, new UsageReport.Use(count, lastUsed)));
    }
}
