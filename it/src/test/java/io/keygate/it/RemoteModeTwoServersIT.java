package io.keygate.it;

import static io.keygate.it.AdminClient.expect;
import static io.keygate.it.KeygateIT.getWithToken;
import static io.keygate.it.KeygateIT.header;
import static io.keygate.it.KeygateIT.object;
import static io.keygate.it.KeygateIT.postJson;
import static io.keygate.it.KeygateIT.uniqueSlug;
import static io.keygate.it.KeygateIT.wellFormedUnknownToken;
import static io.keygate.it.KeygateIT.withBadChecksum;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.keygate.it.AdminClient.IssuedToken;
import jakarta.json.Json;
import jakarta.json.JsonObject;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * Remote mode through two real Payara Micro servers: the first runs {@code keygate.war} only, the second
 * {@code sample.war} only, configured as an admin would configure it ({@code KEYGATE_REMOTE_URL} and
 * {@code KEYGATE_REMOTE_TOKEN}, a global token with nothing but the {@code introspect} and {@code report} scopes:
 * to verify, and to hand over usage counts and failure summaries). Every token is issued on the first server and
 * used on the second.
 *
 * <p>The last test stops the first server under the second's feet and starts it again: cached tokens keep
 * working, others get 503 (never 401, never 200), and the second server recovers by itself.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class RemoteModeTwoServersIT {

    static final int KEYGATE_PORT = Integer.parseInt(KeygateIT.requiredProperty("keygate.it.remote.keygate-port"));
    static final int SAMPLE_PORT = Integer.parseInt(KeygateIT.requiredProperty("keygate.it.remote.sample-port"));
    static final Path KEYGATE_WAR = Path.of(KeygateIT.requiredProperty("keygate.it.keygate-war"));
    static final Path SAMPLE_WAR = Path.of(KeygateIT.requiredProperty("keygate.it.sample-war"));
    static final Path WORK = Path.of(KeygateIT.requiredProperty("keygate.it.remote.work"));
    /** How late a revocation may reach the second server: its poll interval (1 s) plus slack for a busy machine. */
    static final Duration REVOCATION_BOUND = Duration.ofSeconds(5);

    static final URI KEYGATE = URI.create("http://localhost:" + KEYGATE_PORT + "/keygate/");
    static final URI SAMPLE = URI.create("http://localhost:" + SAMPLE_PORT + "/sample/");

    private static MicroProcess keygateServer;
    private static MicroProcess sampleServer;
    private static AdminClient admin;
    private static String credential;
    private static String slug;

    @BeforeAll
    static void startBothServers() {
        keygateServer = startKeygateServer();
        admin = new AdminClient(KEYGATE.resolve("api/v1/"), KeygateIT.ADMIN_TOKEN);
        JsonObject created = object(expect(201, admin.call("POST", "admin-tokens",
                "{\"name\": \"Filter on the sample server\", \"scopes\": [\"introspect\", \"report\"]}")));
        credential = created.getString("token");
        slug = uniqueSlug("remote");
        admin.createTenant(slug, "Remote mode");
        sampleServer = MicroProcess.start("remote-sample", SAMPLE_PORT, List.of(SAMPLE_WAR),
                Map.of("KEYGATE_REMOTE_URL", "http://127.0.0.1:" + KEYGATE_PORT + "/keygate",
                        "KEYGATE_REMOTE_TOKEN", credential),
                List.of());
        sampleServer.awaitReady(Duration.ofMinutes(2));
    }

    private static MicroProcess startKeygateServer() {
        MicroProcess server = MicroProcess.start("remote-keygate", KEYGATE_PORT, List.of(KEYGATE_WAR),
                Map.of("KEYGATE_ADMIN_TOKEN", KeygateIT.ADMIN_TOKEN,
                        "KEYGATE_DATA_DIR", WORK.resolve("keygate-data").toString()),
                List.of());
        server.awaitReady(Duration.ofMinutes(2));
        return server;
    }

    @AfterAll
    static void stopBothServers() {
        if (sampleServer != null) {
            sampleServer.close();
        }
        if (keygateServer != null) {
            keygateServer.close();
        }
    }

    private static URI whoami() {
        return SAMPLE.resolve("api/whoami");
    }

    @Test
    @Order(1)
    void tokenIssuedOnOneServerIsCheckedOnTheOther() {
        IssuedToken reader = admin.issue(slug, "Reporting", "alice", null, "read");
        JsonObject me = object(expect(200, getWithToken(whoami(), reader.token())));
        assertEquals("alice", me.getString("principal"));
        assertEquals(slug, me.getString("tenant"));
        assertEquals(reader.id(), me.getString("tokenId"));

        HttpResponse<String> write = postJson(SAMPLE.resolve("api/notes"), reader.token(), "{\"text\": \"hi\"}");
        assertEquals(403, write.statusCode());
        assertTrue(header(write, "WWW-Authenticate").contains("error=\"insufficient_scope\""));
        assertEquals(401, getWithToken(whoami(), wellFormedUnknownToken()).statusCode());
        assertEquals(401, getWithToken(whoami(), withBadChecksum(reader.token())).statusCode());
        assertEquals(401, KeygateIT.get(whoami()).statusCode());
        assertEquals(200, KeygateIT.get(SAMPLE.resolve("public/status")).statusCode());
    }

    @Test
    @Order(2)
    void revocationAndTenantSwitchOffReachTheOtherServerWithinOnePollInterval() {
        IssuedToken revoked = admin.issue(slug, "To be revoked", null, null, "read");
        expect(200, getWithToken(whoami(), revoked.token()));
        admin.revoke(revoked);
        Duration took = untilStatus(401, () -> getWithToken(whoami(), revoked.token()));
        System.out.printf("remote mode: revocation reached the other server after %d ms%n", took.toMillis());

        String other = uniqueSlug("remote-off");
        admin.createTenant(other, "Switched off");
        IssuedToken tenantToken = admin.issue(other, "Tenant token", null, null, "read");
        expect(200, getWithToken(whoami(), tenantToken.token()));
        admin.patchTenant(other, Json.createObjectBuilder().add("apiAccessEnabled", false).build());
        untilStatus(401, () -> getWithToken(whoami(), tenantToken.token()));
    }

    @Test
    @Order(3)
    void usesOnTheOtherServerAreCountedOnTheKeygateServer() {
        IssuedToken counted = admin.issue(slug, "Counted", null, null, "read");
        for (int i = 0; i < 7; i++) {
            expect(200, getWithToken(whoami(), counted.token()));
        }
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        long usage;
        do {
            usage = admin.token(counted).getJsonNumber("usageCount").longValue();
        } while (usage < 7 && System.nanoTime() < deadline && pause());
        assertEquals(7, usage, "usageCount on the keygate server after 7 requests on the other server");
    }

    @Test
    @Order(4)
    void accessTokenFromTheTokenEndpointWorksOnTheOtherServerAndDiesWithItsSecret() {
        IssuedToken secret = admin.issue(slug, "Integration secret", "bob", null, "read", "write");
        String basic = Base64.getEncoder().encodeToString((secret.id() + ":" + secret.token())
                .getBytes(StandardCharsets.UTF_8));
        HttpResponse<String> exchanged = KeygateIT.send(KeygateIT.request(KEYGATE.resolve("oauth2/token"))
                .header("Authorization", "Basic " + basic)
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString("grant_type=client_credentials&scope=read"))
                .build());
        String accessToken = object(expect(200, exchanged)).getString("access_token");
        JsonObject me = object(expect(200, getWithToken(whoami(), accessToken)));
        assertEquals("bob", me.getString("principal"));
        assertEquals(403, postJson(SAMPLE.resolve("api/notes"), accessToken, "{}").statusCode(),
                "the access token was narrowed to read");
        admin.revoke(secret);
        untilStatus(401, () -> getWithToken(whoami(), accessToken));
    }

    @Test
    @Order(5)
    void theCredentialCanVerifyButNotAdministerAndATenantTokenCannotVerify() {
        assertEquals(403, admin.as(credential).call("GET", "tenants", null).statusCode(),
                "an introspect and report global token is no admin token");
        IssuedToken tenantIntrospector = admin.issue(slug, "Tenant introspector", null, null, "introspect");
        HttpResponse<String> refused = KeygateIT.send(KeygateIT.request(KEYGATE.resolve("verifier"))
                .header("Authorization", "Bearer " + tenantIntrospector.token())
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"function\": \"subscribe\", \"arguments\": []}"))
                .build());
        assertEquals(403, refused.statusCode(), "the verifier binding covers every tenant");
        HttpResponse<String> accepted = KeygateIT.send(KeygateIT.request(KEYGATE.resolve("verifier"))
                .header("Authorization", "Bearer " + credential)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"function\": \"subscribe\", \"arguments\": []}"))
                .build());
        JsonObject answer = object(expect(200, accepted)).getJsonObject("answer");
        assertNotNull(answer.getJsonNumber("generation"));
        assertNotNull(answer.getString("log"));
        HttpResponse<String> garbage = KeygateIT.send(KeygateIT.request(KEYGATE.resolve("verifier"))
                .header("Authorization", "Bearer " + credential)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"function\": \"rm -rf\"}"))
                .build());
        assertEquals(400, garbage.statusCode());
        assertEquals("application/problem+json", header(garbage, "Content-Type"));
    }

    @Test
    @Order(6)
    void keygateServerDownThenCachedTokensPassOthersGet503AndAllRecoversWhenItIsBack() {
        IssuedToken cached = admin.issue(slug, "Cached", null, null, "read");
        IssuedToken neverUsed = admin.issue(slug, "Never used", null, null, "read");
        IssuedToken revoked = admin.issue(slug, "Revoked before", null, null, "read");
        expect(200, getWithToken(whoami(), cached.token()));
        expect(200, getWithToken(whoami(), revoked.token()));
        admin.revoke(revoked);
        untilStatus(401, () -> getWithToken(whoami(), revoked.token()));

        keygateServer.stop();
        expect(200, getWithToken(whoami(), cached.token()));
        HttpResponse<String> unavailable = getWithToken(whoami(), neverUsed.token());
        assertEquals(503, unavailable.statusCode(), "a token the other server never saw cannot be checked");
        assertNotNull(header(unavailable, "Retry-After"));
        int revokedStatus = getWithToken(whoami(), revoked.token()).statusCode();
        assertTrue(revokedStatus == 401 || revokedStatus == 503, "a revoked token is never admitted: "
                + revokedStatus);
        assertEquals(401, KeygateIT.get(whoami()).statusCode(), "no token is still 401");

        keygateServer = startKeygateServer();
        Duration recovery = untilStatus(200, () -> getWithToken(whoami(), neverUsed.token()));
        System.out.printf("remote mode: the other server answered 200 again %d ms after keygate.war was ready%n",
                recovery.toMillis());
        assertEquals(401, getWithToken(whoami(), revoked.token()).statusCode());
        expect(200, getWithToken(whoami(), cached.token()));

        // The restarted keygate.war numbers its changes afresh: the other server must follow the new log.
        admin.revoke(cached);
        Duration took = untilStatus(401, () -> getWithToken(whoami(), cached.token()));
        System.out.printf("remote mode: a revocation after keygate.war restarted reached the other server after"
                + " %d ms%n", took.toMillis());
    }

    /** Polls until the status is reached, failing after {@link #REVOCATION_BOUND}; how long it took. */
    private static Duration untilStatus(int status, Supplier<HttpResponse<String>> request) {
        long start = System.nanoTime();
        long deadline = start + REVOCATION_BOUND.toNanos();
        int last;
        do {
            last = request.get().statusCode();
            if (last == status) {
                return Duration.ofNanos(System.nanoTime() - start);
            }
        } while (System.nanoTime() < deadline && pause());
        assertEquals(status, last, "not reached within " + REVOCATION_BOUND);
        return REVOCATION_BOUND;
    }

    private static boolean pause() {
        try {
            Thread.sleep(100);
            return true;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }
}
