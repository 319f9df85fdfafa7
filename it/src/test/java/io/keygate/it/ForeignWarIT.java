package io.keygate.it;

import static io.keygate.it.BearerAnswers.assertBareChallenge;
import static io.keygate.it.BearerAnswers.assertBearerError;
import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.keygate.it.AdminClient.IssuedToken;
import jakarta.json.JsonObject;
import java.io.File;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.LinkedHashMap;
import java.util.Map;
import org.jboss.shrinkwrap.api.ShrinkWrap;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Any WAR on the same server: a WAR written by someone else, whose only Keygate content is
 * {@code keygate-filter.jar} in {@code WEB-INF/lib}, is protected as soon as {@code keygate.war} runs beside it,
 * and the container's standard security API reports the caller.
 */
class ForeignWarIT extends EveryServerIT {

    private static final String REALM = "/foreign";

    private AdminClient admin;
    private String tenant;

    /** {@code foreign.war}: this test's servlet and the filter jar, nothing else of Keygate's ({@link SuiteWars}). */
    static WebArchive war() {
        return ShrinkWrap.create(WebArchive.class, "foreign.war")
                .addClass(ForeignWarITServlet.class)
                .addAsLibrary(new File(requiredProperty("keygate.it.filter-jar")))
                .setWebXML("foreign-war/web.xml");
    }

    @BeforeEach
    void createTenant() {
        admin = admin();
        tenant = uniqueSlug("foreign");
        admin.createTenant(tenant, "Foreign WAR");
    }

    private URI hello() {
        return server.resolve(REALM + "/hello");
    }

    @Test
    void publicPathWithoutTokenIsAnonymous() {
        HttpResponse<String> response = get(server.resolve(REALM + "/open/hello"));

        assertEquals(200, response.statusCode(), response.body());
        assertEquals(Map.of("principal", "null", "authType", "null", "read", "false", "write", "false", "tenant", "null"),
                report(response));
    }

    @Test
    void publicPathWithValidTokenSetsThePrincipal() {
        IssuedToken token = admin.issue(tenant, "public reader", "carol", null, "read");

        HttpResponse<String> response = getWithToken(server.resolve(REALM + "/open/hello"), token.token());

        assertEquals(200, response.statusCode(), response.body());
        assertEquals("carol", report(response).get("principal"), response.body());
    }

    @Test
    void protectedPathWithoutTokenThenChallengeWithItsOwnRealm() {
        assertBareChallenge(get(hello()), REALM);
    }

    @Test
    void malformedOrUnknownTokenThenRefused() {
        assertAll(
                () -> assertBearerError(get(hello(), "Authorization", "Bearer not a token"), 400, "invalid_request", REALM),
                () -> assertBearerError(getWithToken(hello(), wellFormedUnknownToken()), 401, "invalid_token", REALM));
    }

    @Test
    void readTokenGetsTheCallerThroughTheServletApi() {
        IssuedToken token = admin.issue(tenant, "reader", "alice", null, "read");

        HttpResponse<String> response = getWithToken(hello(), token.token());

        assertEquals(200, response.statusCode(), response.body());
        assertEquals(Map.of("principal", "alice", "authType", "Bearer", "read", "true", "write", "false", "tenant", tenant),
                report(response));
    }

    @Test
    void writeTokenHasTheReadRoleToo() {
        IssuedToken token = admin.issue(tenant, "writer", null, null, "write");

        HttpResponse<String> response = getWithToken(hello(), token.token());

        assertEquals(200, response.statusCode(), response.body());
        assertEquals(Map.of("principal", "writer", "authType", "Bearer", "read", "true", "write", "true", "tenant", tenant),
                report(response));
    }

    @Test
    void readTokenPostThenInsufficientScope() {
        IssuedToken token = admin.issue(tenant, "reader", null, null, "read");

        HttpResponse<String> response = send(request(hello())
                .header("Authorization", "Bearer " + token.token())
                .POST(HttpRequest.BodyPublishers.ofString("x"))
                .build());

        assertEquals("write", assertBearerError(response, 403, "insufficient_scope", REALM).params().get("scope"));
    }

    @Test
    void revokedTokenThenInvalidToken() {
        IssuedToken token = admin.issue(tenant, "short", null, null, "read");
        assertEquals(200, getWithToken(hello(), token.token()).statusCode(), "before revocation");

        admin.revoke(token);

        assertBearerError(getWithToken(hello(), token.token()), 401, "invalid_token", REALM);
    }

    @Test
    void scopeRuleAsksForItsCustomScopeAndNamesItWhenMissing() {
        URI report = server.resolve(REALM + "/reports/q3");
        IssuedToken reader = admin.issue(tenant, "plain reader", null, null, "write");
        IssuedToken reports = admin.issue(tenant, "report reader", null, null, "reports:read");

        assertEquals("reports:read", assertBearerError(getWithToken(report, reader.token()), 403,
                "insufficient_scope", REALM).params().get("scope"), "write implies read, not reports:read");
        assertEquals(200, getWithToken(report, reports.token()).statusCode());
        assertEquals("reports:write", assertBearerError(send(request(report)
                .header("Authorization", "Bearer " + reports.token())
                .POST(HttpRequest.BodyPublishers.ofString("x")).build()), 403, "insufficient_scope", REALM)
                .params().get("scope"));
        assertEquals("read", assertBearerError(getWithToken(hello(), reports.token()), 403,
                "insufficient_scope", REALM).params().get("scope"), "unmatched paths keep the method rule");
    }

    // ---- brute-force throttle and per-token limits (clients named by X-Forwarded-For from the trusted proxy)

    @Test
    void clientThatFailsTooOftenGets429WhileOthersAreUnaffected() {
        IssuedToken valid = admin.issue(tenant, "valid", null, null, "read");
        for (int i = 0; i < 10; i++) {
            assertEquals(401, viaProxy("192.0.2.50", wellFormedUnknownToken()).statusCode());
        }

        HttpResponse<String> throttled = viaProxy("192.0.2.50", valid.token());

        assertEquals(429, throttled.statusCode(), throttled.body());
        assertTrue(Long.parseLong(header(throttled, "Retry-After")) > 0);
        assertFalse(throttled.body().contains(valid.token()));
        assertEquals(200, viaProxy("192.0.2.51", valid.token()).statusCode(), "another client");
    }

    @Test
    void tokenWithAnAddressAllowlistWorksOnlyFromThere() {
        String body = "{\"name\": \"pinned\", \"scopes\": [\"read\"], \"allowedAddresses\": [\"192.0.2.60/32\"]}";
        JsonObject created = object(AdminClient.expect(201, admin.call("POST", "tenants/" + tenant + "/tokens", body)));
        String token = created.getString("token");

        assertEquals(200, viaProxy("192.0.2.60", token).statusCode());
        HttpResponse<String> elsewhere = viaProxy("192.0.2.61", token);
        assertEquals(403, elsewhere.statusCode());
        assertEquals("address_not_allowed", object(elsewhere).getString("error"));
        assertEquals("192.0.2.60/32", array(admin.get("tenants/" + tenant + "/tokens")).getJsonObject(0)
                .getJsonArray("allowedAddresses").getString(0), "shown in listings");
    }

    @Test
    void tokenRateLimitAnswers429WithRateLimitHeaders() {
        String body = "{\"name\": \"metered\", \"scopes\": [\"read\"], \"rateLimit\": {\"requests\": 3,"
                + " \"windowSeconds\": 60}}";
        String token = object(AdminClient.expect(201, admin.call("POST", "tenants/" + tenant + "/tokens", body)))
                .getString("token");

        for (int i = 0; i < 3; i++) {
            HttpResponse<String> ok = getWithToken(hello(), token);
            assertEquals(200, ok.statusCode());
            assertEquals(Integer.toString(2 - i), header(ok, "RateLimit-Remaining"));
        }
        HttpResponse<String> limited = getWithToken(hello(), token);

        assertEquals(429, limited.statusCode());
        assertEquals("rate_limit_exceeded", object(limited).getString("error"));
        assertEquals("3", header(limited, "RateLimit-Limit"));
        assertEquals("0", header(limited, "RateLimit-Remaining"));
        assertTrue(Long.parseLong(header(limited, "Retry-After")) > 0);
    }

    private HttpResponse<String> viaProxy(String client, String token) {
        return get(hello(), "Authorization", "Bearer " + token, "X-Forwarded-For", client,
                "X-Forwarded-Proto", "https");
    }

    private static Map<String, String> report(HttpResponse<String> response) {
        Map<String, String> lines = new LinkedHashMap<>();
        response.body().lines().map(line -> line.split("=", 2)).forEach(pair -> lines.put(pair[0], pair[1]));
        return lines;
    }
}
