package io.keygate.it;

import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.keygate.it.AdminClient.IssuedToken;
import io.keygate.token.TokenFormat;
import jakarta.json.JsonObject;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * The token endpoints (README, "Exchanging an API secret for a short-lived token") through real HTTP: the API secret exchanged for a short-lived
 * access token by both grants (RFC 6749 sections 4.3 and 4.4), every section 5.2 error, the access token used
 * on sample.war and killed with its secret, introspection (RFC 7662) and revocation (RFC 7009).
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class TokenEndpointsIT extends EveryServerIT {

    private AdminClient admin;
    private String tenant;
    private IssuedToken secret;

    @BeforeEach
    void createSecret() {
        admin = admin();
        tenant = uniqueSlug("oauth");
        admin.createTenant(tenant, "OAuth");
        secret = admin.issue(tenant, "Integration", "alice", null, "read", "write");
    }

    @Test
    void clientCredentialsInTheFormGiveAnAccessTokenThatWorksOnTheSample() {
        HttpResponse<String> response = token(form("grant_type", "client_credentials", "client_id", secret.id(),
                "client_secret", secret.token()));

        JsonObject body = assertAccessToken(response, "read write");
        String accessToken = body.getString("access_token");
        HttpResponse<String> whoami = getWithToken(sample("/api/whoami"), accessToken);
        assertEquals(200, whoami.statusCode(), whoami.body());
        JsonObject caller = object(whoami);
        assertEquals("alice", caller.getString("principal"));
        assertEquals(tenant, caller.getString("tenant"));
        assertEquals(201, postJson(sample("/api/notes"), accessToken, "{\"n\":1}").statusCode(), "write scope");
    }

    @Test
    void clientCredentialsByHttpBasicAndNarrowedScope() {
        String basic = Base64.getEncoder().encodeToString((secret.id() + ":" + secret.token())
                .getBytes(StandardCharsets.UTF_8));
        HttpResponse<String> response = send(request(endpoint("token"))
                .header("Authorization", "Basic " + basic)
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(form("grant_type", "client_credentials", "scope", "read")))
                .build());

        String accessToken = assertAccessToken(response, "read").getString("access_token");
        assertEquals(403, postJson(sample("/api/notes"), accessToken, "{}").statusCode(), "narrowed to read");
    }

    @Test
    void passwordGrantWithTheOwnerAsUsername() {
        HttpResponse<String> response = token(form("grant_type", "password", "username", "alice",
                "password", secret.token()));

        String accessToken = assertAccessToken(response, "read write").getString("access_token");
        assertEquals(200, getWithToken(sample("/api/whoami"), accessToken).statusCode());
        JsonObject listed = array(admin.get("tenants/" + tenant + "/tokens/" + secret.id() + "/access-tokens"))
                .getJsonObject(0);
        assertEquals(secret.id(), listed.getString("issuedBy"), "listed under the secret that issued it");
        assertFalse(listed.containsKey("token"), "never the plaintext");
        assertFalse(admin.get("tenants/" + tenant + "/tokens").body().contains(listed.getString("id")),
                "the tenant listing shows the secrets admins created, not every access token");
    }

    @Test
    void everyErrorOfSection52() {
        assertAll(
                () -> assertOAuthError(token(form("grant_type", "client_credentials", "client_id", secret.id(),
                        "client_secret", TokenFormat.generate(RANDOM))), 401, "invalid_client"),
                () -> assertOAuthError(token(form("grant_type", "client_credentials", "client_id", "tok_other",
                        "client_secret", secret.token())), 401, "invalid_client"),
                () -> assertOAuthError(token(form("grant_type", "client_credentials")), 401, "invalid_client"),
                () -> assertOAuthError(token(form("grant_type", "password", "username", "bob",
                        "password", secret.token())), 400, "invalid_grant"),
                () -> assertOAuthError(token(form("grant_type", "password", "username", "alice",
                        "password", secret.token(), "scope", "admin")), 400, "invalid_scope"),
                () -> assertOAuthError(token(form("grant_type", "authorization_code", "code", "x")), 400,
                        "unsupported_grant_type"),
                () -> assertOAuthError(token(form("client_id", secret.id())), 400, "invalid_request"),
                () -> assertOAuthError(send(request(URI.create(endpoint("token") + "?client_secret=" + secret.token()))
                        .header("Content-Type", "application/x-www-form-urlencoded")
                        .POST(HttpRequest.BodyPublishers.ofString(form("grant_type", "client_credentials",
                                "client_id", secret.id()))).build()), 400, "invalid_request"));
    }

    @Test
    void wrongSecretByBasicIsChallengedForBasic() {
        String basic = Base64.getEncoder().encodeToString((secret.id() + ":" + TokenFormat.generate(RANDOM))
                .getBytes(StandardCharsets.UTF_8));
        HttpResponse<String> response = send(request(endpoint("token"))
                .header("Authorization", "Basic " + basic)
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(form("grant_type", "client_credentials"))).build());

        assertOAuthError(response, 401, "invalid_client");
        assertTrue(header(response, "WWW-Authenticate").startsWith("Basic"), "RFC 6749 section 5.2");
    }

    @Test
    void revokingTheSecretKillsItsAccessTokensAtOnce() {
        String accessToken = object(token(form("grant_type", "client_credentials", "client_id", secret.id(),
                "client_secret", secret.token()))).getString("access_token");
        assertEquals(200, getWithToken(sample("/api/whoami"), accessToken).statusCode(), "before");

        admin.revoke(secret);

        assertEquals(401, getWithToken(sample("/api/whoami"), accessToken).statusCode(), "the very next request");
        assertEquals(401, token(form("grant_type", "client_credentials", "client_id", secret.id(),
                "client_secret", secret.token())).statusCode(), "a revoked secret gets no new token");
    }

    @Test
    void introspectionDescribesActiveTokensAndNothingElse() {
        String accessToken = object(token(form("grant_type", "password", "username", "alice",
                "password", secret.token(), "scope", "read"))).getString("access_token");

        JsonObject active = object(introspect(ADMIN_TOKEN, accessToken));
        assertAll(
                () -> assertTrue(active.getBoolean("active")),
                () -> assertEquals("read", active.getString("scope")),
                () -> assertEquals(secret.id(), active.getString("client_id")),
                () -> assertEquals("alice", active.getString("username")),
                () -> assertEquals("Bearer", active.getString("token_type")),
                () -> assertEquals(tenant, active.getString("tenant")),
                () -> assertTrue(active.getJsonNumber("exp").longValue() > Instant.now().getEpochSecond()),
                () -> assertTrue(active.getJsonNumber("iat").longValue() <= Instant.now().getEpochSecond()));

        IssuedToken introspector = admin.issue(tenant, "Resource server", null, null, "introspect");
        assertTrue(object(introspect(introspector.token(), accessToken)).getBoolean("active"), "introspect scope");
        String otherTenant = uniqueSlug("oauth-other");
        admin.createTenant(otherTenant, "Other");
        IssuedToken stranger = admin.issue(otherTenant, "Other RS", null, null, "introspect");
        assertFalse(object(introspect(stranger.token(), accessToken)).getBoolean("active"), "other tenant");
        assertEquals(403, introspect(secret.token(), accessToken).statusCode(), "read/write cannot introspect");
        assertEquals(401, introspect(null, accessToken).statusCode(), "introspection needs a credential");

        admin.revoke(secret);
        JsonObject revoked = object(introspect(ADMIN_TOKEN, accessToken));
        assertEquals(1, revoked.size(), "nothing but active for a revoked token: " + revoked);
        assertFalse(revoked.getBoolean("active"), "revoked");
        assertFalse(object(introspect(ADMIN_TOKEN, "garbage")).getBoolean("active"), "garbage");
    }

    @Test
    void whoeverHoldsATokenCanRevokeIt() {
        HttpResponse<String> unknown = send(formRequest(endpoint("revoke"), form("token", TokenFormat.generate(RANDOM))));
        assertEquals(200, unknown.statusCode(), "RFC 7009: 200 even for an unknown token");

        HttpResponse<String> revoked = send(formRequest(endpoint("revoke"), form("token", secret.token())));

        assertEquals(200, revoked.statusCode());
        assertEquals(401, getWithToken(sample("/api/whoami"), secret.token()).statusCode());
        assertEquals("revoked", admin.token(secret).getString("status"));
    }

    /**
     * Revoking a revoked token changes nothing, so it moves no filter's generation (a token holder looping here
     * would otherwise make every filter catch up on every request) and counts as a failure of the client, like an
     * unknown token. From an address of its own (this server trusts loopback as a proxy), so that its failures
     * throttle no other test.
     */
    @Test
    void revokingOneTokenTenTimesIsOneChangeAndTheRepeatsAreFailures() {
        long before = changeGeneration();
        for (int i = 0; i < 10; i++) {
            assertEquals(200, revokeFrom("192.0.2.70", secret.token()).statusCode(), "RFC 7009 section 2.2");
        }

        assertEquals(before + 1, changeGeneration(), "one revocation, one change, however often it is asked for");
        assertEquals("revoked", admin.token(secret).getString("status"));
        int answered = 10;
        HttpResponse<String> response;
        do {
            response = revokeFrom("192.0.2.70", secret.token());
            answered++;
        } while (response.statusCode() == 200 && answered <= 30);
        assertEquals(429, response.statusCode(), "each repeat counted as a failure, after " + answered + " requests");
        assertEquals(before + 1, changeGeneration());
    }

    /** Last: it leaves this test client throttled at the token endpoint for a minute. */
    @Test
    @Order(Integer.MAX_VALUE)
    void guessingSecretsIsThrottled() {
        int unauthorized = 0;
        HttpResponse<String> response;
        do {
            response = token(form("grant_type", "client_credentials", "client_id", secret.id(),
                    "client_secret", TokenFormat.generate(RANDOM)));
            if (response.statusCode() == 401) {
                unauthorized++;
            }
        } while (response.statusCode() == 401 && unauthorized <= 20);

        assertEquals(429, response.statusCode(), "after at most 20 failures: " + response.body());
        assertTrue(Long.parseLong(header(response, "Retry-After")) > 0);
        assertEquals(429, token(form("grant_type", "client_credentials", "client_id", secret.id(),
                "client_secret", secret.token())).statusCode(), "even the right secret waits out the window");
    }

    private URI endpoint(String name) {
        return server.resolve("/keygate/oauth2/" + name);
    }

    private HttpResponse<String> revokeFrom(String client, String token) {
        return send(request(endpoint("revoke"))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .header("X-Forwarded-For", client)
                .header("X-Forwarded-Proto", "https")
                .POST(HttpRequest.BodyPublishers.ofString(form("token", token))).build());
    }

    /** The verifier's change generation, as a remote filter reads it ({@code subscribe} of its HTTP binding). */
    private long changeGeneration() {
        HttpResponse<String> response = postJson(server.resolve("/keygate/verifier"), ADMIN_TOKEN,
                "{\"function\": \"subscribe\", \"arguments\": []}");
        assertEquals(200, response.statusCode(), response.body());
        return object(response).getJsonObject("answer").getJsonNumber("generation").longValue();
    }

    private HttpResponse<String> token(String form) {
        return send(formRequest(endpoint("token"), form));
    }

    private HttpResponse<String> introspect(String bearer, String token) {
        HttpRequest.Builder request = request(endpoint("introspect"))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(form("token", token)));
        if (bearer != null) {
            request.header("Authorization", "Bearer " + bearer);
        }
        return send(request.build());
    }

    private static HttpRequest formRequest(URI uri, String form) {
        return request(uri).header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(form)).build();
    }

    private static String form(String... pairs) {
        Map<String, String> fields = new LinkedHashMap<>();
        for (int i = 0; i < pairs.length; i += 2) {
            fields.put(pairs[i], pairs[i + 1]);
        }
        return fields.entrySet().stream()
                .map(e -> URLEncoder.encode(e.getKey(), StandardCharsets.UTF_8) + "="
                        + URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8))
                .collect(Collectors.joining("&"));
    }

    /** RFC 6749 section 5.1: the token, its type, lifetime and scope, never cached. */
    private static JsonObject assertAccessToken(HttpResponse<String> response, String scope) {
        assertEquals(200, response.statusCode(), response.body());
        JsonObject body = object(response);
        assertAll(
                () -> assertTrue(TokenFormat.isWellFormed(body.getString("access_token"))),
                () -> assertEquals("Bearer", body.getString("token_type")),
                () -> assertEquals(3600, body.getInt("expires_in")),
                () -> assertEquals(scope, body.getString("scope")),
                () -> assertEquals("no-store", header(response, "Cache-Control")),
                () -> assertEquals("no-cache", header(response, "Pragma")));
        return body;
    }

    /** RFC 6749 section 5.2: status, JSON {@code error}, and never the secret that was sent. */
    private void assertOAuthError(HttpResponse<String> response, int status, String error) {
        assertEquals(status, response.statusCode(), response.body());
        assertEquals(error, object(response).getString("error"), response.body());
        assertTrue(object(response).getString("error_description").length() > 0);
        assertFalse(response.body().contains(secret.token()), "the secret is never echoed");
        assertEquals("no-store", header(response, "Cache-Control"));
    }
}
