package io.keygate.filter;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.keygate.protocol.VerifierProtocol;
import io.keygate.testing.FakeRequest;
import io.keygate.token.TokenFormat;
import io.keygate.token.TokenHash;
import jakarta.servlet.ServletException;
import java.io.IOException;
import java.security.SecureRandom;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.Test;

/** The filter with a verifier that publishes changes: cached verdicts, invalidation, usage counting. */
class KeygateFilterCacheTest {

    private static final SecureRandom RANDOM = new SecureRandom();
    private static final String TOKEN = TokenFormat.generate(RANDOM);
    private static final String UNKNOWN = TokenFormat.generate(RANDOM);

    private final FakeClock clock = new FakeClock();
    private final Map<String, Object> answers = new ConcurrentHashMap<>(Map.of(TokenHash.of(TOKEN),
            FakeVerifier.valid("acme", "tok-1", "alice", List.of("read"), null)));
    private final FakeVerifier keygate = new FakeVerifier(
            hash -> answers.getOrDefault(hash, FakeVerifier.result(VerifierProtocol.INVALID))).subscribable();
    private final KeygateFilter filter;

    KeygateFilterCacheTest() throws ServletException {
        filter = new KeygateFilter(FilterSettingsTest.settings(Map.of(FilterSettings.PUBLIC_PATHS, "/public/*")),
                new VerifierClient(() -> keygate), clock);
    }

    private int status(String path, String token) throws IOException, ServletException {
        FakeResponse response = new FakeResponse();
        filter.doFilter(FakeRequest.get(path).bearer(token).build(), response.build(), new RecordingChain());
        return response.status;
    }

    @Test
    void knownTokenThenOneVerifierCallAndEveryRequestCounted() throws Exception {
        for (int i = 0; i < 5; i++) {
            assertEquals(200, status("/api/whoami", TOKEN));
        }
        assertEquals(200, status("/public/status", TOKEN));
        assertEquals(1, keygate.calls());

        clock.advanceSeconds(1);
        assertEquals(200, status("/api/whoami", TOKEN));
        assertEquals(Map.of("tok-1", 7L), keygate.recordedCounts(), "the first hand-over rode on request 1");
    }

    @Test
    void revokedThenTheNextRequestIsRefused() throws Exception {
        assertEquals(200, status("/api/whoami", TOKEN));
        answers.put(TokenHash.of(TOKEN), FakeVerifier.result(VerifierProtocol.INVALID));
        keygate.change(List.of(TokenHash.of(TOKEN)), List.of());

        assertEquals(401, status("/api/whoami", TOKEN));
        assertEquals(200, status("/public/status", TOKEN), "and is anonymous on a public path");
    }

    @Test
    void unknownTokenThenRefusedFromTheCacheWithTheSameAnswer() throws Exception {
        FakeResponse first = new FakeResponse();
        filter.doFilter(FakeRequest.get("/api/whoami").bearer(UNKNOWN).build(), first.build(), new RecordingChain());
        FakeResponse cached = new FakeResponse();
        filter.doFilter(FakeRequest.get("/api/whoami").bearer(UNKNOWN).build(), cached.build(), new RecordingChain());

        assertEquals(401, cached.status);
        assertEquals(first.headers, cached.headers);
        assertEquals(first.bodyText(), cached.bodyText());
        assertEquals(1, keygate.calls());
    }

    @Test
    void cacheIsKeyedByHashNeverByTheTokenAndNothingLogsEither() throws Exception {
        try (LogCapture log = new LogCapture()) {
            status("/api/whoami", TOKEN);
            status("/api/whoami", UNKNOWN);
            keygate.change(List.of(TokenHash.of(TOKEN)), List.of());
            status("/api/whoami", TOKEN);
            keygate.retire();
            status("/api/whoami", TOKEN);
            filter.destroy();

            VerdictCache cache = filter.verdicts().cache();
            assertNull(cache.lookup(TOKEN, clock.getAsLong()));
            assertNull(cache.lookup(UNKNOWN, clock.getAsLong()));
            for (String token : List.of(TOKEN, UNKNOWN)) {
                assertFalse(log.text().contains(token));
                assertFalse(log.text().contains(TokenHash.of(token)));
            }
        }
        FakeVerifier fresh = new FakeVerifier(h -> FakeVerifier.valid("acme", "tok-1", "alice", List.of("read"), null))
                .subscribable();
        KeygateFilter other = new KeygateFilter(FilterSettingsTest.settings(Map.of()), new VerifierClient(() -> fresh),
                clock);
        FakeResponse response = new FakeResponse();
        other.doFilter(FakeRequest.get("/x").bearer(TOKEN).build(), response.build(), new RecordingChain());
        assertInstanceOf(VerificationResult.Valid.class,
                other.verdicts().cache().lookup(TokenHash.of(TOKEN), clock.getAsLong()));
        assertNull(other.verdicts().cache().lookup(TOKEN, clock.getAsLong()));
    }

    @Test
    void destroyHandsOverWhatWasCountedSinceTheLastHandOver() throws Exception {
        for (int i = 0; i < 4; i++) {
            status("/api/whoami", TOKEN);
        }
        assertEquals(Map.of("tok-1", 1L), keygate.recordedCounts());
        filter.destroy();
        assertEquals(Map.of("tok-1", 4L), keygate.recordedCounts());
    }

    @Test
    void retiredVerifierThen503NotTheCachedVerdict() throws Exception {
        assertEquals(200, status("/api/whoami", TOKEN));
        keygate.retire();
        assertEquals(503, status("/api/whoami", TOKEN));
        assertTrue(keygate.calls() >= 1);
    }
}
