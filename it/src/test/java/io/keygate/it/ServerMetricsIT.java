package io.keygate.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Keygate's series in the server's own MicroProfile Metrics ({@code GET /metrics}, OpenMetrics text), as an operator's
 * Prometheus scrapes them: requests to the sample by how they ended, the cache, the durations of verifier calls and
 * store look-ups, and each tenant's live tokens. Payara Micro and Payara Server only (tagged
 * {@value #TAG}): WildFly's default configuration has no MicroProfile Metrics, and Keygate counts without it.
 */
@Tag(ServerMetricsIT.TAG)
class ServerMetricsIT extends EveryServerIT {

    /** The JUnit tag of the classes that need the server's MicroProfile Metrics. */
    static final String TAG = "microprofile-metrics";

    private static final String VERIFICATIONS = "keygate_verifications_total";
    private static final Map<String, String> SAMPLE = Map.of("application", "/sample");
    private static final List<String> OUTCOMES = List.of("ok", "missing", "invalid", "revoked", "expired",
            "insufficient_scope", "address_not_allowed", "throttled", "rate_limited", "unavailable");

    private OpenMetricsText scrape() {
        HttpResponse<String> answer = get(server.resolve("/metrics"));
        assertEquals(200, answer.statusCode(), answer.body());
        return OpenMetricsText.parse(answer.body());
    }

    private Map<String, Double> outcomes(OpenMetricsText metrics) {
        Map<String, Double> counts = new LinkedHashMap<>();
        for (String outcome : OUTCOMES) {
            Map<String, String> labels = new LinkedHashMap<>(SAMPLE);
            labels.put("outcome", outcome);
            counts.put(outcome, metrics.value(VERIFICATIONS, labels));
        }
        return counts;
    }

    /** Scrapes until {@code done} holds (the counts reach the registry within a second or so), at most 15 s. */
    private OpenMetricsText scrapeUntil(Predicate<OpenMetricsText> done) {
        long deadline = System.nanoTime() + Duration.ofSeconds(15).toNanos();
        OpenMetricsText metrics = scrape();
        while (!done.test(metrics) && System.nanoTime() < deadline) {
            pauseBetweenPolls();
            metrics = scrape();
        }
        return metrics;
    }

    @Test
    void requestsToTheSampleCountedByHowTheyEndedWithTheCacheAndTheDurations() throws Exception {
        AdminClient admin = admin();
        String tenant = uniqueSlug("metrics");
        admin.createTenant(tenant, "Metrics");
        String read = admin.issue(tenant, "read", null, null, "read").token();
        AdminClient.IssuedToken revoked = admin.issue(tenant, "revoked", null, null, "read");
        admin.revoke(revoked);
        String metered = createToken(admin, tenant, "\"rateLimit\": {\"requests\": 1, \"windowSeconds\": 3600}");
        String pinned = createToken(admin, tenant, "\"allowedAddresses\": [\"203.0.113.0/24\"]");
        OpenMetricsText before = scrape();
        Map<String, Double> expected = outcomes(before);

        assertEquals(200, getWithToken(sample("/api/whoami"), read).statusCode());
        assertEquals(200, getWithToken(sample("/api/whoami"), read).statusCode());
        assertEquals(401, get(sample("/api/whoami")).statusCode());
        assertEquals(401, getWithToken(sample("/api/whoami"), wellFormedUnknownToken()).statusCode());
        assertEquals(401, getWithToken(sample("/api/whoami"), revoked.token()).statusCode());
        assertEquals(403, postJson(sample("/api/notes"), read, "{\"text\": \"hi\"}").statusCode());
        assertEquals(200, getWithToken(sample("/api/whoami"), metered).statusCode());
        assertEquals(429, getWithToken(sample("/api/whoami"), metered).statusCode());
        assertEquals(403, getWithToken(sample("/api/whoami"), pinned).statusCode());
        expected.merge("ok", 3.0, Double::sum);
        expected.merge("missing", 1.0, Double::sum);
        expected.merge("invalid", 1.0, Double::sum);
        expected.merge("revoked", 1.0, Double::sum);
        expected.merge("insufficient_scope", 1.0, Double::sum);
        expected.merge("rate_limited", 1.0, Double::sum);
        expected.merge("address_not_allowed", 1.0, Double::sum);

        OpenMetricsText after = scrapeUntil(m -> outcomes(m).equals(expected));
        assertEquals(expected, outcomes(after), "each request counted once, by how it ended");
        assertTrue(after.value("keygate_cache_hits_total", SAMPLE) > before.value("keygate_cache_hits_total", SAMPLE),
                "the second request with the same token was a hit");
        assertTrue(after.value("keygate_cache_misses_total", SAMPLE)
                >= before.value("keygate_cache_misses_total", SAMPLE) + 4, "one miss at least per new token");
        assertTrue(after.value("keygate_verifier_call_microseconds_count", Map.of())
                >= before.value("keygate_verifier_call_microseconds_count", Map.of()) + 4);
        assertTrue(after.value("keygate_store_lookup_microseconds_count", Map.of())
                >= before.value("keygate_store_lookup_microseconds_count", Map.of()) + 4);
        assertTrue(after.value("keygate_verifier_call_microseconds_max", Map.of()) > 0);
    }

    @Test
    void keygateWarsOwnBearerEndpointsCountedUnderItsContextPath() {
        Map<String, String> keygate = Map.of("application", "/keygate");
        java.net.URI tenants = server.resolve("/keygate/api/v1/tenants");
        OpenMetricsText before = scrape();

        assertEquals(401, get(tenants).statusCode());
        assertEquals(401, getWithToken(tenants, wellFormedUnknownToken()).statusCode());
        assertEquals(200, getWithToken(tenants, ADMIN_TOKEN).statusCode());

        OpenMetricsText after = scrapeUntil(m -> count(m, keygate, "ok") > count(before, keygate, "ok"));
        assertEquals(count(before, keygate, "missing") + 1, count(after, keygate, "missing"));
        assertEquals(count(before, keygate, "invalid") + 1, count(after, keygate, "invalid"));
        assertEquals(count(before, keygate, "ok") + 1, count(after, keygate, "ok"));
    }

    private static double count(OpenMetricsText metrics, Map<String, String> application, String outcome) {
        Map<String, String> labels = new LinkedHashMap<>(application);
        labels.put("outcome", outcome);
        return metrics.value(VERIFICATIONS, labels);
    }

    @Test
    void liveTokensPerTenantFollowIssueAndRevoke() throws Exception {
        AdminClient admin = admin();
        String tenant = uniqueSlug("live");
        admin.createTenant(tenant, "Live tokens");
        admin.issue(tenant, "first", null, null, "read");
        AdminClient.IssuedToken second = admin.issue(tenant, "second", null, null, "read");
        Map<String, String> ofTenant = Map.of("tenant", tenant);

        OpenMetricsText two = scrapeUntil(m -> m.value("keygate_live_tokens", ofTenant) == 2);
        assertEquals(2, two.value("keygate_live_tokens", ofTenant), "both tokens work");
        admin.revoke(second);
        OpenMetricsText one = scrapeUntil(m -> m.value("keygate_live_tokens", ofTenant) == 1);
        assertEquals(1, one.value("keygate_live_tokens", ofTenant), "the revoked one no longer counts");
    }

    private static String createToken(AdminClient admin, String tenant, String limits) {
        String body = "{\"name\": \"limited\", \"scopes\": [\"read\"], " + limits + "}";
        return object(AdminClient.expect(201, admin.call("POST", "tenants/" + tenant + "/tokens", body)))
                .getString("token");
    }
}
