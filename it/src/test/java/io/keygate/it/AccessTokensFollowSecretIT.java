package io.keygate.it;

import static io.keygate.it.BearerAnswers.assertBearerError;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.keygate.it.AdminClient.IssuedToken;
import jakarta.json.Json;
import jakarta.json.JsonObject;
import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * "Access tokens follow their secret" (README, Security) through real HTTP: an access token from {@code /keygate/oauth2/token},
 * already cached by sample.war's filter, obeys what happens to its secret on the very next request: a rotation
 * without grace, a narrowing of its scopes, a change of its address allowlist or rate limit, a revocation. An
 * access token itself cannot be rotated or changed ({@code 409}).
 */
class AccessTokensFollowSecretIT extends EveryServerIT {

    private static final String REALM = "/sample";

    private AdminClient admin;
    private IssuedToken secret;
    private String accessToken;

    /** A secret with read and write, exchanged, and its access token used for both, so the filter caches it. */
    @BeforeEach
    void exchangeAndUse() {
        admin = admin();
        String tenant = uniqueSlug("follow");
        admin.createTenant(tenant, "Follow");
        secret = admin.issue(tenant, "Integration", "alice", null, "read", "write");
        HttpResponse<String> exchanged = send(request(server.resolve("/keygate/oauth2/token"))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString("grant_type=client_credentials&client_id="
                        + encode(secret.id()) + "&client_secret=" + encode(secret.token())))
                .build());
        assertEquals(200, exchanged.statusCode(), exchanged.body());
        accessToken = object(exchanged).getString("access_token");
        for (int i = 0; i < 2; i++) {
            assertEquals(200, whoami().statusCode(), "read, cached after the first request");
            assertEquals(201, note().statusCode(), "write");
        }
    }

    @Test
    void rotatingTheSecretWithoutGraceRefusesItsCachedAccessTokenAtTheVeryNextRequest() {
        AdminClient.expect(201, admin.call("POST", secretPath() + "/rotate", "{\"graceSeconds\": 0}"));

        assertBearerError(whoami(), 401, "invalid_token", REALM);
        assertEquals("expired", accessTokenListed().getString("status"), "listed as its secret left it");
    }

    @Test
    void narrowingTheSecretsScopesNarrowsItsCachedAccessTokenAtTheVeryNextRequest() {
        patchSecret("{\"scopes\": [\"read\"]}");

        assertEquals("write", assertBearerError(note(), 403, "insufficient_scope", REALM).params().get("scope"));
        HttpResponse<String> read = whoami();
        assertEquals(200, read.statusCode(), read.body());
        assertEquals(Json.createArrayBuilder().add("read").build(), object(read).getJsonArray("scopes"));
    }

    @Test
    void anAddressAllowlistOnTheSecretAppliesToItsCachedAccessTokenAtTheVeryNextRequest() {
        // TEST-NET-3 (RFC 5737): never the loopback address these requests come from.
        patchSecret("{\"allowedAddresses\": [\"203.0.113.0/24\"]}");

        HttpResponse<String> refused = whoami();
        assertEquals(403, refused.statusCode(), refused.body());
        assertEquals("address_not_allowed", object(refused).getString("error"));

        patchSecret("{\"allowedAddresses\": null}");
        assertEquals(200, whoami().statusCode(), "anywhere again");
    }

    @Test
    void aRateLimitOnTheSecretAppliesToItsCachedAccessTokenAtTheVeryNextRequests() {
        patchSecret("{\"rateLimit\": {\"requests\": 2, \"windowSeconds\": 3600}}");

        HttpResponse<String> first = whoami();
        assertEquals(200, first.statusCode(), first.body());
        assertEquals("2", header(first, "RateLimit-Limit"), "the secret's limit, at once");
        assertEquals(200, whoami().statusCode());
        HttpResponse<String> third = whoami();
        assertEquals(429, third.statusCode(), third.body());
        assertTrue(Long.parseLong(header(third, "Retry-After")) > 0);
    }

    @Test
    void anAccessTokenIsNeitherRotatedNorChangedAndDiesWithItsRevokedSecret() {
        String accessTokenPath = secretPath().replace(secret.id(), accessTokenListed().getString("id"));

        assertConflict(admin.call("POST", accessTokenPath + "/rotate", "{\"graceSeconds\": 0}"));
        assertConflict(admin.call("PATCH", accessTokenPath, "{\"scopes\": [\"read\"]}"));
        assertEquals(200, whoami().statusCode(), "refusing changed nothing");
        assertEquals(1, array(admin.get(secretPath() + "/access-tokens")).size(), "no successor was made");

        admin.revoke(secret);

        assertBearerError(whoami(), 401, "invalid_token", REALM);
        assertEquals("revoked", accessTokenListed().getString("status"), "listed as its secret left it");
    }

    private void assertConflict(HttpResponse<String> response) {
        // A wrongly made successor's plaintext must not land in the test report.
        assertEquals(409, response.statusCode(), () -> response.body().replaceAll("kg_[0-9A-Za-z]{36}", "kg_..."));
        assertTrue(header(response, "Content-Type").startsWith("application/problem+json"),
                header(response, "Content-Type"));
        String detail = object(response).getString("detail");
        assertTrue(detail.contains("follows the secret") && detail.contains(secret.id()), detail);
    }

    private void patchSecret(String json) {
        AdminClient.expect(200, admin.call("PATCH", secretPath(), json));
    }

    private JsonObject accessTokenListed() {
        return array(AdminClient.expect(200, admin.get(secretPath() + "/access-tokens"))).getJsonObject(0);
    }

    private String secretPath() {
        return "tenants/" + secret.tenant() + "/tokens/" + secret.id();
    }

    private HttpResponse<String> whoami() {
        return getWithToken(sample("/api/whoami"), accessToken);
    }

    private HttpResponse<String> note() {
        return postJson(sample("/api/notes"), accessToken, "{\"n\": 1}");
    }

    private static String encode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }
}
