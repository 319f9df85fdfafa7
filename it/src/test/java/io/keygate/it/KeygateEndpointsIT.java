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
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * "keygate.war's own endpoints" (README, Security) through real HTTP: the admin API, the token endpoint, introspection,
 * revocation and {@code /keygate/verifier} obey the transport rules of a protected WAR and every token's
 * {@code allowedAddresses} and {@code rateLimit}; credentials in the query string are refused in any encoding; the
 * throttle keys on the derived client address and the client id; access tokens never carry {@code admin}; an
 * {@code introspect} credential only reads.
 *
 * <p>Traffic goes to loopback only. The server trusts 127.0.0.1 as a proxy ({@code KEYGATE_TRUSTED_PROXIES} in the
 * failsafe configuration), so {@code X-Forwarded-For} names a remote client, and {@code X-Forwarded-Proto: https}
 * says the proxy received it over TLS. Each test uses client addresses of its own, since throttles outlive a test.
 */
class KeygateEndpointsIT extends EveryServerIT {

    private AdminClient admin;
    private String tenant;
    private IssuedToken secret;

    @BeforeEach
    void createSecret() {
        admin = admin();
        tenant = uniqueSlug("endpoints");
        admin.createTenant(tenant, "Endpoints");
        secret = admin.issue(tenant, "Integration", "alice", null, "read", "write");
    }

    // ---- transport: keygate.require-https, allow-loopback-http, trusted-proxies

    @Test
    void plainHttpFromARemoteClientIs403BeforeAnyTokenCheckAndHttpsThroughTheTrustedProxyIsAccepted() {
        IssuedToken revocable = admin.issue(tenant, "Revocable", null, null, "read");
        Map<String, Function<Boolean, HttpResponse<String>>> endpoints = new LinkedHashMap<>();
        endpoints.put("admin API", https -> send(remote(request(api("tenants/" + tenant))
                .header("Authorization", "Bearer " + ADMIN_TOKEN).GET(), "192.0.2.10", https)));
        endpoints.put("token endpoint", https -> send(remote(formPost(endpoint("token"), form("grant_type",
                "client_credentials", "client_id", secret.id(), "client_secret", secret.token())), "192.0.2.10",
                https)));
        endpoints.put("introspection", https -> send(remote(formPost(endpoint("introspect"),
                form("token", secret.token())).header("Authorization", "Bearer " + ADMIN_TOKEN), "192.0.2.10", https)));
        endpoints.put("revocation", https -> send(remote(formPost(endpoint("revoke"),
                form("token", revocable.token())), "192.0.2.10", https)));
        endpoints.put("verifier", https -> send(remote(verifierCall(ADMIN_TOKEN, "{\"function\": \"subscribe\"}"),
                "192.0.2.10", https)));

        endpoints.forEach((name, call) -> {
            HttpResponse<String> plain = call.apply(false);
            assertEquals(403, plain.statusCode(), name + ": " + plain.body());
            assertEquals("https_required", object(plain).getString("error"), name);
            assertFalse(plain.body().contains(ADMIN_TOKEN) || plain.body().contains(secret.token()), name);
        });
        assertEquals("active", admin.token(revocable).getString("status"), "refused before the token was looked at");
        HttpResponse<String> invalidToken = send(remote(request(api("tenants"))
                .header("Authorization", "Bearer " + wellFormedUnknownToken()).GET(), "192.0.2.10", false));
        assertEquals(403, invalidToken.statusCode(), "HTTPS first, then the token: " + invalidToken.body());
        assertTrue(header(invalidToken, "Content-Type").startsWith("application/problem+json"), "admin API format");

        endpoints.forEach((name, call) -> {
            HttpResponse<String> https = call.apply(true);
            assertEquals(200, https.statusCode(), name + " over HTTPS at the proxy: " + https.body());
        });
        assertEquals("revoked", admin.token(revocable).getString("status"));
    }

    // ---- allowedAddresses and rateLimit at every endpoint

    @Test
    void tenantAdminTokenWithAnAllowlistWorksOnlyFromThere() {
        String pinned = createToken("{\"name\": \"pinned admin\", \"scopes\": [\"admin\"],"
                + " \"allowedAddresses\": [\"192.0.2.0/24\"]}");

        HttpResponse<String> elsewhere = send(remote(request(api("tenants/" + tenant))
                .header("Authorization", "Bearer " + pinned).GET(), "198.51.100.20", true));
        HttpResponse<String> inside = send(remote(request(api("tenants/" + tenant))
                .header("Authorization", "Bearer " + pinned).GET(), "192.0.2.10", true));

        assertAll(
                () -> assertEquals(403, elsewhere.statusCode(), elsewhere.body()),
                () -> assertTrue(header(elsewhere, "Content-Type").startsWith("application/problem+json")),
                () -> assertEquals("address_not_allowed", object(elsewhere).getString("error")),
                () -> assertEquals(200, inside.statusCode(), inside.body()));
    }

    @Test
    void tenantAdminTokenWithARateLimitGets429AtTheAdminApi() {
        String metered = createToken("{\"name\": \"metered admin\", \"scopes\": [\"admin\"],"
                + " \"rateLimit\": {\"requests\": 3, \"windowSeconds\": 60}}");
        AdminClient limited = admin.as(metered);
        for (int i = 0; i < 3; i++) {
            HttpResponse<String> ok = limited.get("tenants/" + tenant);
            assertEquals(200, ok.statusCode(), ok.body());
            assertEquals(Integer.toString(2 - i), header(ok, "RateLimit-Remaining"));
        }

        HttpResponse<String> refused = limited.get("tenants/" + tenant);

        assertAll(
                () -> assertEquals(429, refused.statusCode(), refused.body()),
                () -> assertTrue(header(refused, "Content-Type").startsWith("application/problem+json")),
                () -> assertEquals("rate_limit_exceeded", object(refused).getString("error")),
                () -> assertEquals("3", header(refused, "RateLimit-Limit")),
                () -> assertTrue(Long.parseLong(header(refused, "Retry-After")) > 0));
    }

    @Test
    void secretOutsideItsAllowlistIsNotExchanged() {
        String pinned = createToken("{\"name\": \"pinned secret\", \"scopes\": [\"read\"],"
                + " \"allowedAddresses\": [\"192.0.2.30/32\"]}");
        String id = idOf(pinned);

        HttpResponse<String> elsewhere = send(remote(formPost(endpoint("token"), form("grant_type",
                "client_credentials", "client_id", id, "client_secret", pinned)), "192.0.2.31", true));
        HttpResponse<String> inside = send(remote(formPost(endpoint("token"), form("grant_type",
                "client_credentials", "client_id", id, "client_secret", pinned)), "192.0.2.30", true));

        assertEquals(403, elsewhere.statusCode(), elsewhere.body());
        assertEquals("address_not_allowed", object(elsewhere).getString("error"));
        assertFalse(elsewhere.body().contains("access_token"));
        assertEquals(200, inside.statusCode(), inside.body());
    }

    @Test
    void exchangesCountAgainstTheSecretsRateLimit() {
        String metered = createToken("{\"name\": \"metered secret\", \"scopes\": [\"read\"],"
                + " \"rateLimit\": {\"requests\": 2, \"windowSeconds\": 60}}");
        String exchange = form("grant_type", "client_credentials", "client_id", idOf(metered),
                "client_secret", metered);
        for (int i = 0; i < 2; i++) {
            HttpResponse<String> ok = send(formPost(endpoint("token"), exchange).build());
            assertEquals(200, ok.statusCode(), ok.body());
        }

        HttpResponse<String> refused = send(formPost(endpoint("token"), exchange).build());

        assertAll(
                () -> assertEquals(429, refused.statusCode(), refused.body()),
                () -> assertEquals("rate_limit_exceeded", object(refused).getString("error")),
                () -> assertEquals("0", header(refused, "RateLimit-Remaining")),
                () -> assertTrue(Long.parseLong(header(refused, "Retry-After")) > 0),
                () -> assertFalse(refused.body().contains("access_token")));
    }

    // ---- credentials in the query string

    @Test
    void credentialInTheQueryStringInAnyEncodingIs400() {
        String body = form("grant_type", "client_credentials", "client_id", secret.id());
        for (String query : List.of("client_secret=", "client%5Fsecret=", "client%5fsecret=", "%63lient_secret=",
                "client_secre%74=")) {
            HttpResponse<String> response = send(formPost(URI.create(endpoint("token") + "?" + query
                    + URLEncoder.encode(secret.token(), StandardCharsets.UTF_8)), body).build());
            assertEquals(400, response.statusCode(), query + ": " + response.body());
            assertEquals("invalid_request", object(response).getString("error"), query);
        }
        HttpResponse<String> password = send(formPost(URI.create(endpoint("token") + "?pass%77ord=x"),
                form("grant_type", "password", "username", "alice")).build());
        assertEquals(400, password.statusCode(), password.body());
        HttpResponse<String> revoke = send(formPost(URI.create(endpoint("revoke") + "?t%6Fken="
                + secret.token()), "").build());
        assertEquals(400, revoke.statusCode(), revoke.body());
        HttpResponse<String> malformed = send(formPost(URI.create(endpoint("token") + "?client%C0%AFsecret=x"), body)
                .build());
        assertEquals(400, malformed.statusCode(), malformed.body());
        assertEquals("active", admin.token(secret).getString("status"));
    }

    @Test
    void credentialInTheQueryStringIs400WhateverTheMethodAndBeforeAnyBearer() {
        HttpResponse<String> get = send(request(URI.create(endpoint("token") + "?client_secret="
                + URLEncoder.encode(secret.token(), StandardCharsets.UTF_8))).GET().build());
        HttpResponse<String> introspect = send(formPost(URI.create(endpoint("introspect") + "?token="
                + secret.token()), "").build());
        HttpResponse<String> getIntrospect = send(request(URI.create(endpoint("introspect") + "?t%6Fken=x")).GET()
                .build());
        for (HttpResponse<String> response : List.of(get, introspect, getIntrospect)) {
            assertEquals(400, response.statusCode(), response.uri() + ": " + response.body());
            assertEquals("invalid_request", object(response).getString("error"), response.uri().toString());
            assertEquals("no-store", header(response, "Cache-Control"));
            assertFalse(response.body().contains(secret.token()), "never echoed");
        }
    }

    @Test
    void credentialInTheQueryStringIs400AtTheAdminApiAndTheVerifierBindingToo() {
        HttpResponse<String> adminApi = send(request(URI.create(server.resolve("/keygate/api/v1/tenants") + "?token="
                + secret.token())).GET().build());
        assertEquals(400, adminApi.statusCode(), adminApi.body());
        assertEquals("application/problem+json", header(adminApi, "Content-Type"));
        JsonObject problem = object(adminApi);
        assertEquals(400, problem.getInt("status"));
        assertEquals("invalid_request", problem.getString("error"));
        assertFalse(adminApi.body().contains(secret.token()), "never echoed");
        HttpResponse<String> verifier = send(formPost(URI.create(server.resolve("/keygate/verifier")
                + "?pass%77ord=x"), "{}").build());
        assertEquals(400, verifier.statusCode(), verifier.body());
        HttpResponse<String> listing = send(request(URI.create(server.resolve("/keygate/api/v1/tenants")
                + "?limit=1")).GET().build());
        assertEquals(401, listing.statusCode(), "other query parameters go on to the bearer check: " + listing.body());
    }

    // ---- the throttle keys on the derived client address and on the client id

    @Test
    void aClientThatFailsTooOftenLocksOutOnlyItself() {
        HttpResponse<String> response;
        int failures = 0;
        do {
            response = send(remote(formPost(endpoint("token"), form("grant_type", "client_credentials",
                    "client_id", "guess-" + failures, "client_secret", TokenFormat.generate(RANDOM))), "192.0.2.40",
                    true));
            failures++;
        } while (response.statusCode() == 401 && failures <= 21);

        assertEquals(429, response.statusCode(), "after at most 20 failures: " + response.body());
        assertTrue(Long.parseLong(header(response, "Retry-After")) > 0);
        HttpResponse<String> other = send(remote(formPost(endpoint("token"), form("grant_type",
                "client_credentials", "client_id", secret.id(), "client_secret", secret.token())), "192.0.2.41",
                true));
        assertEquals(200, other.statusCode(), "another client behind the same proxy: " + other.body());
        HttpResponse<String> revocation = send(remote(formPost(endpoint("revoke"),
                form("token", TokenFormat.generate(RANDOM))), "192.0.2.40", true));
        assertEquals(429, revocation.statusCode(), "the same throttle at revocation: " + revocation.body());
    }

    @Test
    void guessingOneClientIdFromManyAddressesLocksItButNotItsKnownClient() {
        String exchange = form("grant_type", "client_credentials", "client_id", secret.id(), "client_secret",
                secret.token());
        assertEquals(200, send(remote(formPost(endpoint("token"), exchange), "192.0.2.50", true)).statusCode());
        int failures = 0;
        HttpResponse<String> guess;
        do {
            guess = send(remote(formPost(endpoint("token"), form("grant_type", "client_credentials", "client_id",
                    secret.id(), "client_secret", TokenFormat.generate(RANDOM))), "192.0.2." + (100 + failures),
                    true));
            failures++;
        } while (guess.statusCode() == 401 && failures <= 21);

        assertEquals(429, guess.statusCode(), "guessing one client id is bounded: " + guess.body());
        assertEquals(429, send(remote(formPost(endpoint("token"), exchange), "192.0.2.51", true)).statusCode(),
                "a new address waits, even with the right secret");
        assertEquals(200, send(remote(formPost(endpoint("token"), exchange), "192.0.2.50", true)).statusCode(),
                "the client that authenticated from its address before is not locked out");
        IssuedToken other = admin.issue(tenant, "Other", null, null, "read");
        assertEquals(200, send(remote(formPost(endpoint("token"), form("grant_type", "client_credentials",
                "client_id", other.id(), "client_secret", other.token())), "192.0.2.51", true)).statusCode(),
                "other client ids are not locked");
    }

    @Test
    void adminApiThrottlesOneClientAddressWhileAnotherIsServed() {
        URI tenants = server.resolve("/keygate/api/v1/tenants");
        HttpResponse<String> response;
        int failures = 0;
        do {
            response = send(remote(request(tenants).header("Authorization", "Bearer " + wellFormedUnknownToken())
                    .GET(), "192.0.2.70", true));
            failures++;
        } while (response.statusCode() == 401 && failures <= 21);

        assertEquals(429, response.statusCode(), "after at most 20 invented tokens: " + response.body());
        assertTrue(Long.parseLong(header(response, "Retry-After")) > 0);
        assertTrue(header(response, "Content-Type").startsWith("application/problem+json"), response.body());
        assertEquals(429, object(response).getInt("status"));
        assertEquals(429, send(remote(request(tenants).header("Authorization", "Bearer " + ADMIN_TOKEN).GET(),
                "192.0.2.70", true)).statusCode(), "even the right token waits out the window");
        assertEquals(429, send(remote(formPost(endpoint("introspect"), form("token", secret.token()))
                .header("Authorization", "Bearer " + ADMIN_TOKEN), "192.0.2.70", true)).statusCode(),
                "introspection shares the count");
        assertEquals(200, send(remote(request(tenants).header("Authorization", "Bearer " + ADMIN_TOKEN).GET(),
                "192.0.2.71", true)).statusCode(), "another client behind the same proxy");
    }

    @Test
    void revokingInventedTokensIsThrottled() {
        HttpResponse<String> response;
        int unknown = 0;
        do {
            response = send(remote(formPost(endpoint("revoke"), form("token", TokenFormat.generate(RANDOM))),
                    "192.0.2.60", true));
            unknown++;
        } while (response.statusCode() == 200 && unknown <= 21);

        assertEquals(429, response.statusCode(), "after at most 20 unknown tokens: " + response.body());
        assertTrue(Long.parseLong(header(response, "Retry-After")) > 0);
        assertEquals(200, send(remote(formPost(endpoint("revoke"), form("token", TokenFormat.generate(RANDOM))),
                "192.0.2.61", true)).statusCode(), "another client");
    }

    // ---- access tokens never carry admin

    @Test
    void adminIsNeverGrantedToAnAccessTokenAndTheAdminApiRefusesAccessTokens() {
        String mixed = createToken("{\"name\": \"admin and read\", \"scopes\": [\"admin\", \"read\"]}");
        String adminOnly = createToken("{\"name\": \"admin only\", \"scopes\": [\"admin\"]}");

        HttpResponse<String> exchanged = send(formPost(endpoint("token"), form("grant_type", "client_credentials",
                "client_id", idOf(mixed), "client_secret", mixed)).build());
        HttpResponse<String> askedForAdmin = send(formPost(endpoint("token"), form("grant_type",
                "client_credentials", "client_id", idOf(mixed), "client_secret", mixed, "scope", "admin")).build());
        HttpResponse<String> nothingLeft = send(formPost(endpoint("token"), form("grant_type", "client_credentials",
                "client_id", idOf(adminOnly), "client_secret", adminOnly)).build());

        assertEquals(200, exchanged.statusCode(), exchanged.body());
        assertEquals("read", object(exchanged).getString("scope"));
        assertEquals(400, askedForAdmin.statusCode(), askedForAdmin.body());
        assertEquals("invalid_scope", object(askedForAdmin).getString("error"));
        assertEquals(400, nothingLeft.statusCode(), nothingLeft.body());
        assertEquals("invalid_scope", object(nothingLeft).getString("error"));

        String accessToken = object(exchanged).getString("access_token");
        HttpResponse<String> adminApi = admin.as(accessToken).call("POST", "tenants/" + tenant + "/tokens",
                "{\"name\": \"outliving\", \"scopes\": [\"read\"]}");
        assertEquals(403, adminApi.statusCode(), adminApi.body());
        HttpResponse<String> introspection = send(formPost(endpoint("introspect"), form("token", secret.token()))
                .header("Authorization", "Bearer " + accessToken).build());
        assertEquals(403, introspection.statusCode(), introspection.body());
    }

    // ---- introspect reads, report writes

    @Test
    void sharedObjectsAreRefusedOverTheVerifierBinding() {
        HttpResponse<String> limits = send(verifierCall(ADMIN_TOKEN, "{\"function\": \"limits\"}").build());
        HttpResponse<String> metrics = send(verifierCall(ADMIN_TOKEN,
                "{\"function\": \"metrics\", \"arguments\": [\"/sample\"]}").build());

        assertAll(
                () -> assertEquals(400, limits.statusCode(), limits.body()),
                () -> assertEquals(400, metrics.statusCode(), "counters cannot cross a network: " + metrics.body()));
    }

    @Test
    void introspectOnlyCredentialCannotWriteAtTheVerifierWhileAReportCredentialCan() throws Exception {
        String reader = globalToken("[\"introspect\"]");
        String reporter = globalToken("[\"introspect\", \"report\"]");
        String usage = "{\"function\": \"recordUsage\", \"arguments\": [{\"" + secret.id() + "\": [1000, "
                + System.currentTimeMillis() + "]}]}";
        String failures = "{\"function\": \"recordFailures\", \"arguments\": [{\"application\": \"/forged\","
                + " \"since\": 1, \"until\": 2, \"failures\": [], \"overflow\": 5}]}";

        HttpResponse<String> readerUsage = send(verifierCall(reader, usage).build());
        HttpResponse<String> readerFailures = send(verifierCall(reader, failures).build());
        HttpResponse<String> readerSubscribe = send(verifierCall(reader, "{\"function\": \"subscribe\"}").build());

        assertAll(
                () -> assertEquals(403, readerUsage.statusCode(), readerUsage.body()),
                () -> assertEquals("insufficient_scope", object(readerUsage).getString("error")),
                () -> assertTrue(header(readerUsage, "WWW-Authenticate").contains("scope=\"report\"")),
                () -> assertEquals(403, readerFailures.statusCode(), readerFailures.body()),
                () -> assertEquals(200, readerSubscribe.statusCode(), "introspect reads"));

        HttpResponse<String> reporterUsage = send(verifierCall(reporter, usage).build());
        assertEquals(200, reporterUsage.statusCode(), reporterUsage.body());
        assertEquals(200, send(verifierCall(reporter, failures).build()).statusCode());
        long deadline = System.nanoTime() + 15_000_000_000L;
        long count;
        do {
            Thread.sleep(250);
            count = admin.token(secret).getJsonNumber("usageCount").longValue();
        } while (count < 1000 && System.nanoTime() < deadline);
        assertEquals(1000, count, "only the report credential's counts are taken");
    }

    // ---- helpers

    private URI api(String path) {
        return server.resolve("/keygate/api/v1/" + path);
    }

    private URI endpoint(String name) {
        return server.resolve("/keygate/oauth2/" + name);
    }

    /** As a remote client behind the trusted proxy 127.0.0.1, which received the request over TLS or not. */
    private static HttpRequest remote(HttpRequest.Builder request, String client, boolean https) {
        request.header("X-Forwarded-For", client);
        if (https) {
            request.header("X-Forwarded-Proto", "https");
        }
        return request.build();
    }

    private static HttpRequest.Builder formPost(URI uri, String form) {
        return request(uri).header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(form));
    }

    private HttpRequest.Builder verifierCall(String credential, String call) {
        return request(server.resolve("/keygate/verifier")).header("Authorization", "Bearer " + credential)
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(call));
    }

    /** A tenant token from its JSON description; its plaintext. */
    private String createToken(String json) {
        JsonObject created = object(AdminClient.expect(201, admin.call("POST", "tenants/" + tenant + "/tokens",
                json)));
        ids.put(created.getString("token"), created.getString("id"));
        return created.getString("token");
    }

    private final Map<String, String> ids = new LinkedHashMap<>();

    private String idOf(String token) {
        return ids.get(token);
    }

    private String globalToken(String scopes) {
        return object(AdminClient.expect(201, admin.call("POST", "admin-tokens", "{\"name\": \"verifier "
                + uniqueSlug("g") + "\", \"scopes\": " + scopes + "}"))).getString("token");
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
}
