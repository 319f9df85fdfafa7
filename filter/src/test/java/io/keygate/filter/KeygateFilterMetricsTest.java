package io.keygate.filter;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.keygate.metrics.Outcome;
import io.keygate.metrics.VerificationCounts;
import io.keygate.protocol.Verdict;
import io.keygate.testing.FakeRequest;
import io.keygate.token.TokenFormat;
import io.keygate.token.TokenHash;
import jakarta.ejb.EJBException;
import jakarta.servlet.ServletException;
import java.io.IOException;
import java.security.SecureRandom;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.Test;

/**
 * What an operator reads in {@code keygate_verifications_total}: each request that needed a token counted once, by
 * how it ended, on the counts {@code keygate.war} hands over for this WAR, with the cache's hits and misses and the
 * duration of every call to the verifier.
 */
class KeygateFilterMetricsTest {

    private static final SecureRandom RANDOM = new SecureRandom();
    private static final String READ = TokenFormat.generate(RANDOM);
    private static final String REVOKED = TokenFormat.generate(RANDOM);
    private static final String EXPIRED = TokenFormat.generate(RANDOM);
    private static final String LIMITED = TokenFormat.generate(RANDOM);
    private static final String OFFICE_ONLY = TokenFormat.generate(RANDOM);
    private static final String DOWN = TokenFormat.generate(RANDOM);

    private final FakeClock clock = new FakeClock();
    private final Map<String, Object> answers = new ConcurrentHashMap<>();
    private final FakeVerifier keygate = new FakeVerifier(
            hash -> answers.getOrDefault(hash, Verdict.INVALID.toWire())).subscribable();
    private final KeygateFilter filter;

    KeygateFilterMetricsTest() throws ServletException {
        answers.put(TokenHash.of(READ), FakeVerifier.valid("alice", List.of("read")));
        answers.put(TokenHash.of(REVOKED), Verdict.REVOKED.toWire());
        answers.put(TokenHash.of(EXPIRED), Verdict.EXPIRED.toWire());
        answers.put(TokenHash.of(LIMITED), new Verdict.Valid("acme", "tok-2", "Limited", "bob", List.of("read"), null,
                new Verdict.RateLimit(1, 60), null, null).toWire());
        answers.put(TokenHash.of(OFFICE_ONLY), new Verdict.Valid("acme", "tok-3", "Office", "carol", List.of("read"),
                null, null, List.of("198.51.100.0/24"), null).toWire());
        answers.put(TokenHash.of(DOWN), new EJBException("store down"));
        filter = new KeygateFilter(FilterSettingsTest.settings(Map.of(FilterSettings.PUBLIC_PATHS, "/public/*")),
                new VerifierClient(() -> keygate), clock);
    }

    private int status(FakeRequest request) throws IOException, ServletException {
        FakeResponse response = new FakeResponse();
        filter.doFilter(request.build(), response.build(), new RecordingChain());
        return response.status;
    }

    private int get(String token) throws IOException, ServletException {
        return status(FakeRequest.get("/api/whoami").bearer(token));
    }

    /** What keygate.war reads for this WAR (the test filter is named by its realm, {@code /sample}). */
    private VerificationCounts read() {
        return keygate.metrics("/sample");
    }

    private Map<Outcome, Long> totals() {
        Map<Outcome, Long> totals = new EnumMap<>(Outcome.class);
        for (Outcome outcome : Outcome.values()) {
            if (read().total(outcome) > 0) {
                totals.put(outcome, read().total(outcome));
            }
        }
        return totals;
    }

    @Test
    void eachRequestThatNeedsATokenCountedOnceByHowItEnded() throws Exception {
        assertEquals(200, get(READ));
        assertEquals(200, get(READ));
        assertEquals(401, status(FakeRequest.get("/api/whoami")));
        assertEquals(401, get(TokenFormat.generate(RANDOM)));
        assertEquals(401, get("kg_" + "A".repeat(36)));
        assertEquals(400, status(FakeRequest.get("/api/whoami").header("Authorization", "Bearer a b")));
        assertEquals(401, get(REVOKED));
        assertEquals(401, get(EXPIRED));
        assertEquals(403, status(FakeRequest.get("/api/notes").method("POST").bearer(READ)));
        assertEquals(200, get(LIMITED));
        assertEquals(429, get(LIMITED));
        assertEquals(403, get(OFFICE_ONLY));
        assertEquals(503, get(DOWN));
        assertEquals(200, status(FakeRequest.get("/public/status")), "no credentials on a public path: not counted");
        assertEquals(200, status(FakeRequest.get("/public/status").bearer(REVOKED)), "anonymous, and counted");

        assertEquals(Map.of(Outcome.OK, 3L, Outcome.MISSING, 1L, Outcome.INVALID, 3L, Outcome.REVOKED, 2L,
                Outcome.EXPIRED, 1L, Outcome.INSUFFICIENT_SCOPE, 1L, Outcome.RATE_LIMITED, 1L,
                Outcome.ADDRESS_NOT_ALLOWED, 1L, Outcome.UNAVAILABLE, 1L), totals());
    }

    @Test
    void aClientThatFailedTooOftenThenThrottledRequestsCountedApart() throws Exception {
        for (int i = 0; i < 25; i++) {
            get(TokenFormat.generate(RANDOM));
        }
        assertEquals(20, read().total(Outcome.INVALID), "the default throttle lets 20 failures through");
        assertEquals(5, read().total(Outcome.THROTTLED));
    }

    @Test
    void cachedVerdictsThenHitsAndOneTimedCallPerMiss() throws Exception {
        for (int i = 0; i < 5; i++) {
            assertEquals(200, get(READ));
        }
        get(REVOKED);
        get(REVOKED);

        assertEquals(2, read().cacheMisses(), "one per token");
        assertEquals(5, read().cacheHits());
        assertEquals(2, keygate.callDurations.size());
        assertTrue(keygate.callDurations.stream().allMatch(nanos -> nanos > 0), keygate.callDurations.toString());
    }

    @Test
    void aVerifierWithoutTheFunctionThenTheFilterCountsAloneAndServesAsBefore() throws Exception {
        FakeVerifier older = new FakeVerifier(hash -> answers.getOrDefault(hash, Verdict.INVALID.toWire()));
        KeygateFilter withOlder = new KeygateFilter(FilterSettingsTest.settings(Map.of()),
                new VerifierClient(() -> older), clock);
        FakeResponse response = new FakeResponse();
        withOlder.doFilter(FakeRequest.get("/api/whoami").bearer(READ).build(), response.build(), new RecordingChain());

        assertEquals(200, response.status);
        assertEquals(1, withOlder.counts().total(Outcome.OK), "counted on the filter's own counts");
        assertEquals(1, withOlder.counts().cacheMisses());

        get(READ);
        assertEquals(1, read().total(Outcome.OK), "a verifier with the function reads what its filter counted");
    }
}
