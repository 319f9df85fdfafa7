package io.keygate.it;

import static io.keygate.it.BearerAnswers.assertBearerError;
import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.keygate.it.AdminClient.IssuedToken;
import jakarta.json.Json;
import jakarta.json.JsonObject;
import java.io.File;
import java.net.URI;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.IntFunction;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.shrinkwrap.api.ShrinkWrap;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The filters' verdict caches on a real server: two protected WARs ({@code sample.war}, deployed by the failsafe
 * execution {@code with-verifier-and-sample}, and this test's own {@code second.war}) beside {@code keygate.war}.
 *
 * <ul>
 * <li>A revocation, a rotation without grace and a tenant switched off take effect on the very next request in
 * both WARs, although both had the token cached.</li>
 * <li>Once warm, requests with a cached token cost no store query and no call of the verifier
 * ({@code GET /keygate/api/v1/stats}), while its first use costs both: the counters do move.</li>
 * <li>A flood of one unknown token, or of many distinct invented ones, costs one verifier call per distinct token
 * and WAR at most, not one per request.</li>
 * <li>Usage counted in both WARs shows exactly in the listing within the 5 seconds the README promises.</li>
 * </ul>
 */
class HotPathBesideSampleIT extends OwnMicroIT {

    private static final String SECOND = "/second";

    private AdminClient admin;
    private String tenant;

    @Deployment(testable = false)
    static WebArchive deployment() {
        return ShrinkWrap.create(WebArchive.class, "second.war")
                .addClass(HotPathBesideSampleITServlet.class)
                .addAsLibrary(new File(requiredProperty("keygate.it.filter-jar")));
    }

    @BeforeEach
    void createTenant() {
        admin = admin();
        tenant = uniqueSlug("hot");
        admin.createTenant(tenant, "Hot path");
    }

    private URI inSample() {
        return sample("/api/whoami");
    }

    private URI inSecond() {
        return server.resolve(SECOND + "/whoami");
    }

    /** Uses the token twice in each WAR, so both caches hold it. */
    private void warm(String token) {
        for (int i = 0; i < 2; i++) {
            assertEquals(200, getWithToken(inSample(), token).statusCode(), "sample.war before");
            HttpResponse<String> second = getWithToken(inSecond(), token);
            assertEquals(200, second.statusCode(), "second.war before: " + second.body());
        }
    }

    private void assertRefusedInBoth(String token, String why) {
        assertAll(why,
                () -> assertBearerError(getWithToken(inSample(), token), 401, "invalid_token", "/sample"),
                () -> assertBearerError(getWithToken(inSecond(), token), 401, "invalid_token", SECOND));
    }

    @Test
    void revokedThenTheVeryNextRequestIsRefusedInBothWars() {
        IssuedToken token = admin.issue(tenant, "revoked", null, null, "read");
        warm(token.token());

        admin.revoke(token);

        assertRefusedInBoth(token.token(), "revoked");
    }

    @Test
    void rotatedWithoutGraceThenTheOldTokenIsRefusedAtOnceInBothWars() {
        IssuedToken old = admin.issue(tenant, "rotated", null, null, "read");
        warm(old.token());

        String successor = object(AdminClient.expect(201, admin.call("POST",
                "tenants/" + tenant + "/tokens/" + old.id() + "/rotate", "{\"graceSeconds\": 0}"))).getString("token");

        assertRefusedInBoth(old.token(), "rotated");
        warm(successor);
    }

    @Test
    void tenantSwitchedOffThenRefusedInBothWarsAndBackOnAtOnce() {
        IssuedToken token = admin.issue(tenant, "switched", null, null, "read");
        warm(token.token());

        admin.patchTenant(tenant, Json.createObjectBuilder().add("apiAccessEnabled", false).build());
        assertRefusedInBoth(token.token(), "tenant off");
        assertRefusedInBoth(token.token(), "tenant off, the refusal now cached");

        admin.patchTenant(tenant, Json.createObjectBuilder().add("apiAccessEnabled", true).build());
        warm(token.token());
    }

    @Test
    void cachedTokenCostsNoStoreQueryAndNoVerifierCall() {
        IssuedToken token = admin.issue(tenant, "hot", null, null, "read");
        // The control: the first use of a token no filter has cached costs a verifier call and a store query, so
        // counters that never move cannot pass for a hot path that costs nothing.
        Cost cold = measure(() -> assertEquals(200, getWithToken(inSample(), token.token()).statusCode()));
        report("uncached token, 1 request", cold);
        assertAll("the first use of the token, not cached yet",
                () -> assertTrue(cold.verifyCalls() >= 1, "verifier calls " + cold.verifyCalls()),
                () -> assertTrue(cold.queries() >= 1, "store queries " + cold.queries()));
        warm(token.token());
        int requests = 1000;

        Instant start = Instant.now();
        Cost cost = measure(() -> {
            for (int i = 0; i < requests; i++) {
                assertEquals(200, getWithToken(i % 2 == 0 ? inSample() : inSecond(), token.token()).statusCode());
            }
        });
        Duration took = Duration.between(start, Instant.now());

        report("cached token, " + requests + " requests in " + took.toMillis() + " ms", cost);
        assertEquals(0, cost.verifyCalls(), "verifier calls");
        assertEquals(0, cost.queries(), "store queries");
        // The only writes: the usage batches, one UPDATE per token every 2 seconds, whatever the request count.
        long batches = took.toSeconds() / 2 + 2;
        assertTrue(cost.writes() <= 2 * batches, "store writes " + cost.writes() + " for " + took);
    }

    @Test
    void floodOfOneUnknownTokenCostsOneVerifierCallPerWar() throws Exception {
        String unknown = wellFormedUnknownToken();
        warm(admin.issue(tenant, "sync", null, null, "read").token());
        int requests = 400;

        Cost cost = measure(() -> concurrently(requests, i -> getWithToken(i % 2 == 0 ? inSample() : inSecond(), unknown)));

        report("one unknown token, " + requests + " concurrent requests", cost);
        assertTrue(cost.verifyCalls() >= 1 && cost.verifyCalls() <= 2, "verifier calls " + cost.verifyCalls());
        // At least one: the verifier looked the token up; at most two per call.
        assertTrue(cost.queries() >= 1 && cost.queries() <= 2 * cost.verifyCalls(), "store queries " + cost.queries());
    }

    @Test
    void floodOfDistinctInventedTokensCostsOneVerifierCallEach() throws Exception {
        warm(admin.issue(tenant, "sync", null, null, "read").token());
        List<String> invented = new ArrayList<>();
        for (int i = 0; i < 200; i++) {
            invented.add(wellFormedUnknownToken());
        }
        int repeats = 3;

        Cost cost = measure(() -> concurrently(invented.size() * repeats,
                i -> getWithToken(inSample(), invented.get(i % invented.size()))));

        report(invented.size() + " distinct invented tokens, " + repeats + " requests each", cost);
        assertTrue(cost.verifyCalls() <= invented.size(), "verifier calls " + cost.verifyCalls());
        assertTrue(cost.queries() >= 1 && cost.queries() <= 2L * invented.size(), "store queries " + cost.queries());
    }

    @Test
    void usageCountedInBothWarsIsExactInTheListingWithinFiveSeconds() throws InterruptedException {
        IssuedToken token = admin.issue(tenant, "counted", null, null, "read");
        int inSample = 30;
        int inSecond = 20;
        for (int i = 0; i < Math.max(inSample, inSecond); i++) {
            if (i < inSample) {
                assertEquals(200, getWithToken(inSample(), token.token()).statusCode());
            }
            if (i < inSecond) {
                assertEquals(200, getWithToken(inSecond(), token.token()).statusCode());
            }
        }
        Instant lastUse = Instant.now();

        long count = admin.token(token).getJsonNumber("usageCount").longValue();
        while (count < inSample + inSecond && Duration.between(lastUse, Instant.now()).toSeconds() < 5) {
            Thread.sleep(100);
            count = admin.token(token).getJsonNumber("usageCount").longValue();
        }
        Duration lag = Duration.between(lastUse, Instant.now());
        System.out.println("[hot path] usage of " + (inSample + inSecond) + " requests listed after " + lag.toMillis()
                + " ms");
        assertEquals(inSample + inSecond, count, "within 5 s of the last use");

        Thread.sleep(2500);
        JsonObject later = admin.token(token);
        assertEquals(inSample + inSecond, later.getJsonNumber("usageCount").longValue(), "and never counted twice");
        assertFalse(later.isNull("lastUsedAt"));
    }

    @Test
    void statsAreForGlobalAdminsOnly() {
        IssuedToken tenantAdmin = admin.issue(tenant, "tenant admin", null, null, "admin");

        assertEquals(403, admin.as(tenantAdmin.token()).get("stats").statusCode());
        assertEquals(401, admin.as(null).get("stats").statusCode());
        JsonObject stats = object(AdminClient.expect(200, admin.get("stats")));
        assertTrue(stats.getJsonNumber("storeStatements").longValue() >= stats.getJsonNumber("storeQueries").longValue());
    }

    // ---- measuring through GET /keygate/api/v1/stats

    /** What some work cost the store and the verifier. */
    private record Cost(long queries, long writes, long verifyCalls) {
    }

    private record Stats(long statements, long queries, long verifyCalls) {
    }

    private Stats stats() {
        JsonObject json = object(AdminClient.expect(200, admin.get("stats")));
        assertFalse(json.isNull("storeStatements"), "Payara's provider is EclipseLink: statements are counted");
        return new Stats(json.getJsonNumber("storeStatements").longValue(), json.getJsonNumber("storeQueries").longValue(),
                json.getJsonNumber("verifyCalls").longValue());
    }

    /**
     * The cost of {@code work}, less the cost of reading the statistics themselves (their request's admin token is
     * checked in the store), which is measured first by reading them twice in a row.
     */
    private Cost measure(ThrowingRunnable work) {
        Stats first = stats();
        Stats second = stats();
        long readQueries = second.queries() - first.queries();
        long readWrites = (second.statements() - second.queries()) - (first.statements() - first.queries());
        try {
            work.run();
        } catch (Exception e) {
            throw new AssertionError(e);
        }
        Stats after = stats();
        return new Cost(after.queries() - second.queries() - readQueries,
                Math.max(0, (after.statements() - after.queries()) - (second.statements() - second.queries()) - readWrites),
                after.verifyCalls() - second.verifyCalls());
    }

    private static void report(String what, Cost cost) {
        System.out.println("[hot path] " + what + ": " + cost.queries() + " store queries, " + cost.writes()
                + " store writes, " + cost.verifyCalls() + " verifier calls");
    }

    /** Sends {@code count} requests from 8 threads; each must be refused with 401. */
    private static void concurrently(int count, IntFunction<HttpResponse<String>> request) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            List<Future<HttpResponse<String>>> answers = new ArrayList<>();
            for (int i = 0; i < count; i++) {
                int n = i;
                answers.add(pool.submit(() -> request.apply(n)));
            }
            for (Future<HttpResponse<String>> answer : answers) {
                assertEquals(401, answer.get().statusCode());
            }
        } finally {
            pool.shutdownNow();
        }
    }

    @FunctionalInterface
    private interface ThrowingRunnable {
        void run() throws Exception;
    }
}
