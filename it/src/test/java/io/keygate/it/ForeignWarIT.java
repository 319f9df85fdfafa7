package io.keygate.it;

import static io.keygate.it.BearerAnswers.assertBareChallenge;
import static io.keygate.it.BearerAnswers.assertBearerError;
import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.keygate.it.AdminClient.IssuedToken;
import java.io.File;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.LinkedHashMap;
import java.util.Map;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.shrinkwrap.api.ShrinkWrap;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * SPEC "Any WAR on the same server": a WAR written by someone else, whose only Keygate content is
 * {@code keygate-filter.jar} in {@code WEB-INF/lib}, is protected as soon as {@code keygate.war} runs beside it,
 * and the container's standard security API reports the caller.
 */
class ForeignWarIT extends KeygateIT {

    private static final String REALM = "/foreign";

    private AdminClient admin;
    private String tenant;

    @Deployment(testable = false)
    static WebArchive deployment() {
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

    private static Map<String, String> report(HttpResponse<String> response) {
        Map<String, String> lines = new LinkedHashMap<>();
        response.body().lines().map(line -> line.split("=", 2)).forEach(pair -> lines.put(pair[0], pair[1]));
        return lines;
    }
}
