package io.keygate.it;

import static io.keygate.it.BearerAnswers.assertBareChallenge;
import static io.keygate.it.BearerAnswers.assertBearerError;
import static io.keygate.it.BearerAnswers.assertErrorBody;
import static io.keygate.it.BearerAnswers.assertNoTokenIn;
import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.keygate.it.AdminClient.IssuedToken;
import io.keygate.token.TokenFormat;
import jakarta.json.Json;
import jakarta.json.JsonArray;
import jakarta.json.JsonObject;
import jakarta.json.JsonValue;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The sample application ({@code sample.war}, filter jar in {@code WEB-INF/lib}, {@code /public/*} public)
 * beside {@code keygate.war}: every row of docs/filter.md, "Answers", end to end, with tokens issued through
 * the admin API.
 */
class SampleProtectionIT extends EveryServerIT {

    private static final String REALM = "/sample";

    private AdminClient admin;
    private String tenant;

    @BeforeEach
    void createTenant() {
        admin = admin();
        tenant = uniqueSlug("sample");
        admin.createTenant(tenant, "Sample protection");
    }

    private URI whoami() {
        return sample("/api/whoami");
    }

    private URI notes() {
        return sample("/api/notes");
    }

    private IssuedToken issue(String... scopes) {
        return admin.issue(tenant, "token " + String.join(" ", scopes), null, null, scopes);
    }

    // ---- public paths: Keygate never makes them fail

    @Test
    void publicPathWithoutTokenThenOk() {
        HttpResponse<String> response = get(sample("/public/status"));

        assertEquals(200, response.statusCode(), response.body());
        assertEquals(Json.createObjectBuilder().add("status", "ok").build(), object(response));
    }

    @Test
    void publicPathWithValidTokenThenOk() {
        HttpResponse<String> response = getWithToken(sample("/public/status"), issue("read").token());

        assertEquals(200, response.statusCode(), response.body());
    }

    @Test
    void publicPathWithAnyBadCredentialsThenOk() {
        String valid = issue("read").token();
        Map<String, HttpResponse<String>> answers = new LinkedHashMap<>();
        for (String authorization : new String[] {"Bearer !!garbage!!", "Bearer ", "Bearer " + wellFormedUnknownToken(),
                "Bearer " + withBadChecksum(valid), "Bearer " + valid + " " + valid, "Basic dXNlcjpwYXNz"}) {
            answers.put(authorization, get(sample("/public/status"), "Authorization", authorization));
        }
        answers.put("two headers", send(request(sample("/public/status"))
                .header("Authorization", "Bearer " + valid).header("Authorization", "Bearer " + valid).build()));

        assertAll(answers.entrySet().stream().map(answer -> () ->
                assertEquals(200, answer.getValue().statusCode(), answer.getKey() + ": " + answer.getValue().body())));
    }

    // ---- protected paths: no credentials

    @Test
    void protectedPathWithoutAuthorizationThenBareChallenge() {
        assertBareChallenge(get(whoami()), REALM);
    }

    @Test
    void protectedPathWithOtherSchemeThenBareChallenge() {
        assertBareChallenge(get(whoami(), "Authorization", "Basic dXNlcjpwYXNz"), REALM);
    }

    @Test
    void tokenInQueryStringOrFormIsIgnored() {
        String token = issue("write").token();

        HttpResponse<String> query = get(URI.create(whoami() + "?access_token=" + token));
        HttpResponse<String> form = send(request(notes())
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString("access_token=" + token))
                .build());

        assertAll(
                () -> assertBareChallenge(query, REALM),
                () -> assertBareChallenge(form, REALM),
                () -> assertNoTokenIn(query, token),
                () -> assertNoTokenIn(form, token));
    }

    // ---- malformed headers: 400 invalid_request, even when the tokens themselves are valid

    @Test
    void malformedBearerHeaderThenInvalidRequest() {
        String valid = issue("read").token();
        Map<String, HttpResponse<String>> answers = new LinkedHashMap<>();
        answers.put("empty token", get(whoami(), "Authorization", "Bearer "));
        answers.put("characters outside b64token", get(whoami(), "Authorization", "Bearer kg_ab!cd,ef"));
        answers.put("two tokens", get(whoami(), "Authorization", "Bearer " + valid + " " + valid));
        answers.put("two headers", send(request(whoami())
                .header("Authorization", "Bearer " + valid).header("Authorization", "Bearer " + valid).build()));

        assertAll(answers.entrySet().stream().map(answer -> () -> {
            try {
                assertBearerError(answer.getValue(), 400, "invalid_request", REALM);
                assertNoTokenIn(answer.getValue(), valid);
            } catch (AssertionError e) {
                throw new AssertionError(answer.getKey() + ": " + e.getMessage(), e);
            }
        }));
    }

    // ---- invalid tokens: 401 invalid_token

    @Test
    void unknownAndRevokedTokensGetByteForByteTheSameAnswer() {
        IssuedToken doomed = issue("read");
        assertEquals(200, getWithToken(whoami(), doomed.token()).statusCode(), "before revocation");
        admin.revoke(doomed);

        HttpResponse<String> revoked = getWithToken(whoami(), doomed.token());
        HttpResponse<String> unknown = getWithToken(whoami(), wellFormedUnknownToken());

        assertBearerError(revoked, 401, "invalid_token", REALM);
        assertBearerError(unknown, 401, "invalid_token", REALM);
        assertAll(
                () -> assertEquals(unknown.statusCode(), revoked.statusCode(), "status"),
                () -> assertEquals(unknown.headers().allValues("WWW-Authenticate"),
                        revoked.headers().allValues("WWW-Authenticate"), "WWW-Authenticate"),
                () -> assertEquals(unknown.headers().allValues("Content-Type"),
                        revoked.headers().allValues("Content-Type"), "Content-Type"),
                () -> assertEquals(unknown.body(), revoked.body(), "body"),
                () -> assertNoTokenIn(revoked, doomed.token()));
    }

    @Test
    void revokedTokenRefusedOnTheVeryNextRequest() {
        IssuedToken token = issue("read");
        // Used first, so any cache in the filter holds it when it is revoked.
        assertEquals(200, getWithToken(whoami(), token.token()).statusCode());
        assertEquals(200, getWithToken(whoami(), token.token()).statusCode());

        admin.revoke(token);

        assertBearerError(getWithToken(whoami(), token.token()), 401, "invalid_token", REALM);
    }

    @Test
    void badChecksumThenInvalidToken() {
        String valid = issue("read").token();
        String mistyped = withBadChecksum(valid);

        HttpResponse<String> response = getWithToken(whoami(), mistyped);

        assertBearerError(response, 401, "invalid_token", REALM);
        assertNoTokenIn(response, mistyped);
    }

    @Test
    void expiredTokenThenInvalidToken() throws InterruptedException {
        Instant expiresAt = Instant.now().plusSeconds(5).truncatedTo(ChronoUnit.SECONDS);
        IssuedToken shortLived = admin.issue(tenant, "short-lived", null, expiresAt, "read");
        assertEquals(200, getWithToken(whoami(), shortLived.token()).statusCode(), "before expiry");

        Thread.sleep(Math.max(0, Duration.between(Instant.now(), expiresAt).toMillis()) + 1500);

        assertBearerError(getWithToken(whoami(), shortLived.token()), 401, "invalid_token", REALM);
        assertEquals("expired", admin.token(shortLived).getString("status"), "status in the admin API");
    }

    @Test
    void tenantWithApiAccessDisabledThenInvalidTokenAtOnce() {
        IssuedToken token = issue("read");
        assertEquals(200, getWithToken(whoami(), token.token()).statusCode(), "before");

        admin.patchTenant(tenant, Json.createObjectBuilder().add("apiAccessEnabled", false).build());
        HttpResponse<String> disabled = getWithToken(whoami(), token.token());
        admin.patchTenant(tenant, Json.createObjectBuilder().add("apiAccessEnabled", true).build());
        HttpResponse<String> enabledAgain = getWithToken(whoami(), token.token());

        assertBearerError(disabled, 401, "invalid_token", REALM);
        assertEquals(200, enabledAgain.statusCode(), () -> "re-enabled: " + enabledAgain.body());
    }

    // ---- scopes

    @Test
    void readTokenPostThenInsufficientScopeWrite() {
        HttpResponse<String> response = postJson(notes(), issue("read").token(), "{\"text\":\"hello\"}");

        Challenge challenge = assertBearerError(response, 403, "insufficient_scope", REALM);
        assertEquals("write", challenge.params().get("scope"), () -> "scope in " + challenge);
    }

    @Test
    void writeTokenReadsAndWrites() {
        String token = issue("write").token();
        JsonObject note = Json.createObjectBuilder()
                .add("title", "Grüße")
                .add("tags", Json.createArrayBuilder().add("a").add("b"))
                .add("pinned", true)
                .add("rank", 3)
                .build();

        HttpResponse<String> read = getWithToken(whoami(), token);
        HttpResponse<String> written = postJson(notes(), token, note.toString());

        assertEquals(200, read.statusCode(), () -> "GET whoami: " + read.body());
        assertEquals(201, written.statusCode(), () -> "POST notes: " + written.body());
        assertEquals(note, object(written), "the echoed note");
    }

    @Test
    void headFollowsTheRulesOfGet() {
        HttpResponse<String> response = send(request(whoami())
                .header("Authorization", "Bearer " + issue("read").token())
                .method("HEAD", HttpRequest.BodyPublishers.noBody())
                .build());

        assertEquals(200, response.statusCode());
    }

    @Test
    void notesWithInvalidJsonThenBadRequest() {
        HttpResponse<String> response = postJson(notes(), issue("write").token(), "{\"title\": ");

        assertEquals(400, response.statusCode(), response.body());
        assertTrue(object(response).containsKey("error"), response.body());
    }

    @Test
    void schemeNameIsCaseInsensitive() {
        String token = issue("read").token();

        HttpResponse<String> lower = get(whoami(), "Authorization", "bearer " + token);
        HttpResponse<String> upper = get(whoami(), "Authorization", "BEARER " + token);

        assertEquals(200, lower.statusCode(), () -> "bearer: " + lower.body());
        assertEquals(200, upper.statusCode(), () -> "BEARER: " + upper.body());
    }

    // ---- what the application sees

    @Test
    void whoamiShowsTheOwnerAndTheTokenAsIssued() {
        IssuedToken token = admin.issue(tenant, "Website Integration", "alice", null, "write", "reports:read");

        HttpResponse<String> response = getWithToken(whoami(), token.token());

        assertEquals(200, response.statusCode(), response.body());
        assertEquals(Json.createObjectBuilder()
                .add("principal", "alice")
                .add("tenant", tenant)
                .add("tokenId", token.id())
                .add("tokenName", "Website Integration")
                .add("scopes", Json.createArrayBuilder().add("reports:read").add("write"))
                .add("subject", tenant + "/alice")
                .build(), object(response));
    }

    @Test
    void theSameOwnerIssuedByAnotherTenantThenTheSameNameButAnotherSubject() {
        IssuedToken real = admin.issue(tenant, "Website Integration", "alice", null, "read");
        String evil = uniqueSlug("evil");
        admin.createTenant(evil, "Another tenant");
        IssuedToken impostor = admin.issue(evil, "Impostor", "alice", null, "read");

        JsonObject asReal = object(getWithToken(whoami(), real.token()));
        JsonObject asImpostor = object(getWithToken(whoami(), impostor.token()));

        assertAll(
                () -> assertEquals("alice", asImpostor.getString("principal"), "the owner as written, in any tenant"),
                () -> assertEquals(tenant + "/alice", asReal.getString("subject"), asReal::toString),
                () -> assertEquals(evil + "/alice", asImpostor.getString("subject"), asImpostor::toString),
                () -> assertNotEquals(asReal.getString("subject"), asImpostor.getString("subject")));
    }

    @Test
    void whoamiWithoutOwnerShowsTheTokenName() {
        IssuedToken token = admin.issue(tenant, "Nightly export", null, null, "read");

        JsonObject whoami = object(getWithToken(whoami(), token.token()));

        assertEquals("Nightly export", whoami.getString("principal"), whoami::toString);
        assertEquals(tenant + "/Nightly export", whoami.getString("subject"), whoami::toString);
        assertEquals(Json.createArrayBuilder().add("read").build(), whoami.getJsonArray("scopes"));
    }

    // ---- the admin side of a token's life, as seen by its user

    @Test
    void tokenPlaintextIsShownOnlyOnCreation() {
        IssuedToken issued = issue("read");
        String token = issued.token();

        HttpResponse<String> list = admin.get("tenants/" + tenant + "/tokens");
        HttpResponse<String> one = admin.get("tenants/" + tenant + "/tokens/" + issued.id());

        assertTrue(TokenFormat.isWellFormed(token), "a well-formed kg_ token");
        String prefix = issued.created().getString("prefix");
        assertTrue(token.startsWith(prefix) && prefix.length() < token.length(), "prefix " + prefix);
        assertEquals(200, list.statusCode(), list.body());
        assertEquals(200, one.statusCode(), one.body());
        assertAll(
                () -> assertNoTokenIn(list, token),
                () -> assertNoTokenIn(one, token),
                () -> assertFalse(object(one).containsKey("token"), one.body()),
                () -> array(list).getValuesAs(JsonObject.class).forEach(listed ->
                        assertFalse(listed.containsKey("token"), listed::toString)),
                () -> assertEquals(prefix, object(one).getString("prefix")));
    }

    @Test
    void usageCountEqualsSuccessfulCallsWithinSeconds() throws InterruptedException {
        IssuedToken token = issue("read");
        JsonObject before = admin.token(token);
        assertEquals(0, before.getInt("usageCount"), before::toString);
        assertTrue(before.isNull("lastUsedAt"), before::toString);

        int calls = 3;
        for (int i = 0; i < calls; i++) {
            assertEquals(200, getWithToken(whoami(), token.token()).statusCode());
        }

        // The README: usageCount and lastUsedAt may lag by at most 5 seconds; allow twice that.
        Instant deadline = Instant.now().plusSeconds(10);
        JsonObject listed = listed(token);
        while (listed.getInt("usageCount") < calls && Instant.now().isBefore(deadline)) {
            Thread.sleep(250);
            listed = listed(token);
        }
        JsonObject last = listed;
        assertEquals(calls, last.getInt("usageCount"), last::toString);
        assertNotEquals(JsonValue.ValueType.NULL, last.get("lastUsedAt").getValueType(), last::toString);
        Instant lastUsedAt = Instant.parse(last.getString("lastUsedAt"));
        assertFalse(lastUsedAt.isBefore(Instant.parse(token.created().getString("createdAt"))), last::toString);
    }

    private JsonObject listed(IssuedToken token) {
        JsonArray tokens = admin.tokens(tenant);
        return tokens.getValuesAs(JsonObject.class).stream()
                .filter(listed -> listed.getString("id").equals(token.id()))
                .findFirst()
                .orElseThrow(() -> new AssertionError(token.id() + " not listed in " + tokens));
    }

    // ---- transport: the tests play a reverse proxy on loopback (failsafe sets KEYGATE_TRUSTED_PROXIES=127.0.0.1)

    /** A client that is not on loopback, from the documentation range of RFC 5737: no traffic ever goes there. */
    private static final String REMOTE_CLIENT = "192.0.2.10";

    /**
     * {@code path} of the sample, reached through 127.0.0.1 (the trusted proxy) rather than {@code localhost}: the
     * request comes from loopback unless it names a client with {@code X-Forwarded-For}.
     */
    private URI viaProxy(String path) {
        return URI.create("http://127.0.0.1:" + server.getPort() + "/sample" + path);
    }

    @Test
    void plainHttpForwardedForARemoteClientThenHttpsRequiredBeforeAnyTokenCheck() {
        String valid = issue("read").token();
        Map<String, HttpResponse<String>> answers = new LinkedHashMap<>();
        answers.put("no token", get(viaProxy("/api/whoami"), "X-Forwarded-For", REMOTE_CLIENT));
        answers.put("valid token", get(viaProxy("/api/whoami"), "X-Forwarded-For", REMOTE_CLIENT,
                "Authorization", "Bearer " + valid));
        answers.put("malformed header", get(viaProxy("/api/whoami"), "X-Forwarded-For", REMOTE_CLIENT,
                "Authorization", "Bearer kg_ab!cd,ef"));
        answers.put("bad checksum", get(viaProxy("/api/whoami"), "X-Forwarded-For", REMOTE_CLIENT,
                "Authorization", "Bearer " + withBadChecksum(valid)));
        answers.put("proxy says http", get(viaProxy("/api/whoami"), "X-Forwarded-For", REMOTE_CLIENT,
                "X-Forwarded-Proto", "http", "Authorization", "Bearer " + valid));
        answers.put("public path", get(viaProxy("/public/status"), "X-Forwarded-For", REMOTE_CLIENT));

        assertAll(answers.entrySet().stream().map(answer -> () -> {
            HttpResponse<String> response = answer.getValue();
            try {
                assertEquals(403, response.statusCode(), response::body);
                assertErrorBody(response, "https_required");
                assertTrue(response.headers().allValues("WWW-Authenticate").isEmpty(),
                        () -> "no token was looked at, so no challenge: " + response.headers().map());
                assertTrue(object(response).getString("error_description").contains("HTTPS"), response::body);
                assertNoTokenIn(response, valid);
            } catch (AssertionError e) {
                throw new AssertionError(answer.getKey() + ": " + e.getMessage(), e);
            }
        }));
    }

    @Test
    void httpsAtTheTrustedProxyThenTheUsualAnswers() {
        String valid = issue("read").token();
        String[] https = {"X-Forwarded-For", REMOTE_CLIENT, "X-Forwarded-Proto", "https"};

        HttpResponse<String> ok = send(request(viaProxy("/api/whoami")).headers(https)
                .header("Authorization", "Bearer " + valid).build());
        HttpResponse<String> noToken = send(request(viaProxy("/api/whoami")).headers(https).build());
        HttpResponse<String> unknown = send(request(viaProxy("/api/whoami")).headers(https)
                .header("Authorization", "Bearer " + wellFormedUnknownToken()).build());
        HttpResponse<String> publicPath = send(request(viaProxy("/public/status")).headers(https).build());

        assertAll(
                () -> assertEquals(200, ok.statusCode(), ok::body),
                () -> assertEquals(tenant, object(ok).getString("tenant", null), ok::body),
                () -> assertBareChallenge(noToken, REALM),
                () -> assertBearerError(unknown, 401, "invalid_token", REALM),
                () -> assertEquals(200, publicPath.statusCode(), publicPath::body));
    }

    @Test
    void loopbackClientWithoutForwardingHeadersMayUsePlainHttp() {
        String valid = issue("read").token();

        HttpResponse<String> ok = getWithToken(viaProxy("/api/whoami"), valid);
        HttpResponse<String> noToken = get(viaProxy("/api/whoami"));

        assertAll(
                () -> assertEquals(200, ok.statusCode(), ok::body),
                () -> assertBareChallenge(noToken, REALM));
    }
}
