package io.keygate.it;

import static io.keygate.it.AdminClient.expect;
import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.keygate.it.AdminClient.IssuedToken;
import io.keygate.token.TokenFormat;
import io.keygate.token.TokenHash;
import jakarta.json.JsonObject;
import jakarta.json.JsonValue;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * README, Security, "No plaintext anywhere": a token exists in plaintext only in the response that created it.
 * On {@code keygate.war} and {@code sample.war} on PostgreSQL ({@link KeygateOnPostgres}), the test creates tokens
 * in every way there is (tenant tokens, global admin and introspect-only tokens, rotation, OAuth2 access tokens by
 * client credentials in the form and by HTTP Basic, and by the password grant), uses them, and provokes every
 * error with them: revoked, expired, replaced, bad checksum, unknown, wrong scope, malformed headers, a token in
 * a query string and in a path, wrong client secrets, introspection of garbage, bad JSON with a token inside, a
 * token where the verifier expects a hash. Then it searches the server's whole log and a {@code pg_dump} of its
 * schema for every plaintext ({@link PlaintextSearch}: any 9 consecutive characters of a token, one more than a
 * listing's prefix, count as a leak), and every error answer too (13 characters: the admin API quotes up to 12 of
 * any input). None may hold one.
 *
 * <p>That the searches look in the right place is checked too: the dump holds each token's hash and the tenant,
 * the log is the log of this server, and the same search finds a token planted in that log's text. Failed
 * authentications reach the database as audit summaries once a minute; the test waits for its own before dumping.
 */
@ExtendWith({KeygateOnPostgres.Configured.class, PostgresStoreIT.PostgresReachable.class,
        KeygateOnPostgres.Resolver.class})
class NoPlaintextIT {

    /** How long until the failure summaries of the last minute are in the audit log: one period, plus slack. */
    static final Duration AUDIT_FLUSH_BOUND = Duration.ofSeconds(75);

    /** Every answer the test got that was not a success, searched like the log. */
    private final List<HttpResponse<String>> errors = new ArrayList<>();

    @Test
    void noTokenInTheServerLogInADumpOfTheDatabaseOrInAnErrorAnswer(KeygateOnPostgres server) throws Exception {
        AdminClient admin = server.admin();
        String slug = KeygateIT.uniqueSlug("plain");
        String other = KeygateIT.uniqueSlug("plain-other");
        admin.createTenant(slug, "No plaintext");
        admin.createTenant(other, "Another tenant");
        // Every plaintext, by name: stored ones must have their hash in the dump.
        Map<String, String> stored = new LinkedHashMap<>();
        Map<String, String> presented = new LinkedHashMap<>();

        IssuedToken reader = admin.issue(slug, "Reader", "alice", null, "read");
        IssuedToken writer = admin.issue(slug, "Writer", "bob", null, "read", "write");
        IssuedToken tenantAdmin = admin.issue(slug, "Tenant admin", null, null, "admin");
        IssuedToken expiring = admin.issue(slug, "Expiring", null, Instant.now().plusSeconds(5), "read");
        expect(200, whoami(server, "Bearer " + expiring.token()));
        IssuedToken revoked = admin.issue(slug, "Revoked", null, null, "read");
        IssuedToken replaced = admin.issue(slug, "Replaced", null, null, "read");
        String successor = KeygateIT.object(expect(201, admin.call("POST", "tenants/" + slug + "/tokens/"
                + replaced.id() + "/rotate", "{\"graceSeconds\": 0}"))).getString("token");
        String globalAdmin = KeygateIT.object(expect(201, admin.call("POST", "admin-tokens",
                "{\"name\": \"Second global admin\"}"))).getString("token");
        String introspector = KeygateIT.object(expect(201, admin.call("POST", "admin-tokens",
                "{\"name\": \"Introspector\", \"scopes\": [\"introspect\"]}"))).getString("token");
        String byForm = accessToken(server, null, "grant_type=client_credentials&client_id=" + writer.id()
                + "&client_secret=" + writer.token());
        String byBasic = accessToken(server, basic(writer.id(), writer.token()),
                "grant_type=client_credentials&scope=read");
        String byPassword = accessToken(server, null, "grant_type=password&username=bob&password=" + writer.token());
        stored.put("the reader token", reader.token());
        stored.put("the writer token", writer.token());
        stored.put("the tenant admin token", tenantAdmin.token());
        stored.put("the expiring token", expiring.token());
        stored.put("the revoked token", revoked.token());
        stored.put("the replaced token", replaced.token());
        stored.put("its successor", successor);
        stored.put("the second global admin token", globalAdmin);
        stored.put("the introspect-only token", introspector);
        stored.put("the access token by client credentials", byForm);
        stored.put("the access token by HTTP Basic", byBasic);
        stored.put("the access token by password grant", byPassword);
        stored.put("the bootstrap admin token (KEYGATE_ADMIN_TOKEN)", KeygateIT.ADMIN_TOKEN);

        // Used as they should be.
        for (String token : List.of(reader.token(), writer.token(), revoked.token(), successor,
                byForm, byBasic, byPassword)) {
            expect(200, whoami(server, "Bearer " + token));
        }
        expect(201, KeygateIT.postJson(server.sample("/api/notes"), writer.token(), "{\"text\": \"hello\"}"));
        expect(201, KeygateIT.postJson(server.sample("/api/notes"), byForm, "{\"text\": \"hello\"}"));
        expect(200, admin.as(tenantAdmin.token()).get("tenants/" + slug + "/tokens"));
        expect(200, admin.as(globalAdmin).get("tenants"));
        assertTrue(KeygateIT.object(expect(200, introspect(server, "Bearer " + introspector, reader.token())))
                .getBoolean("active"));
        admin.revoke(revoked);
        expect(200, post(server.keygate("/oauth2/revoke"), null, "token=" + byPassword));

        // Every error, with real tokens in every place a client could put them.
        String unknown = KeygateIT.wellFormedUnknownToken();
        presented.put("an unknown token", unknown);
        presented.put("the writer's HTTP Basic credential", basic(writer.id(), writer.token()).substring(6));
        presented.put("a wrong HTTP Basic credential", basic(writer.id(), reader.token()).substring(6));
        URI whoami = server.sample("/api/whoami");
        assertAll("protected requests",
                () -> expect(401, whoami(server, "Bearer " + revoked.token())),
                () -> expect(401, whoami(server, "Bearer " + replaced.token())),
                () -> expect(401, whoami(server, "Bearer " + byPassword)),
                () -> expect(401, whoami(server, "Bearer " + KeygateIT.withBadChecksum(reader.token()))),
                () -> expect(401, whoami(server, "Bearer " + unknown)),
                () -> expect(403, error(KeygateIT.postJson(server.sample("/api/notes"), reader.token(), "{}"))),
                () -> expect(403, error(KeygateIT.postJson(server.sample("/api/notes"), byBasic, "{}"))),
                () -> expect(400, whoami(server, "Bearer " + reader.token() + " " + writer.token())),
                () -> expect(400, whoami(server, "Bearer " + reader.token() + "!")),
                () -> expect(400, error(KeygateIT.send(KeygateIT.request(whoami)
                        .header("Authorization", "Bearer " + reader.token())
                        .header("Authorization", "Bearer " + writer.token()).build()))),
                () -> expect(401, whoami(server, "Basic " + Base64.getEncoder().encodeToString(
                        reader.token().getBytes(StandardCharsets.UTF_8)))),
                () -> expect(401, error(KeygateIT.get(URI.create(whoami + "?access_token=" + reader.token())))),
                () -> expect(401, untilExpired(() -> whoami(server, "Bearer " + expiring.token()))));
        assertAll("the admin API",
                () -> expect(403, error(admin.as(reader.token()).get("tenants"))),
                () -> expect(401, error(admin.as(revoked.token()).get("tenants"))),
                () -> expect(401, error(admin.as(unknown).get("tenants"))),
                () -> expect(404, error(admin.as(tenantAdmin.token()).get("tenants/" + other + "/tokens"))),
                () -> expect(404, error(admin.get("tenants/" + reader.token()))),
                () -> expect(404, error(admin.get("tenants/" + slug + "/tokens/" + reader.token()))),
                () -> expect(404, error(admin.call("DELETE", "tenants/" + slug + "/tokens/" + writer.token(), null))),
                () -> expect(401, error(admin.as(null).get("tenants?access_token=" + reader.token()))),
                () -> expect(400, error(admin.call("POST", "tenants/" + slug + "/tokens",
                        "{\"name\": \"x\", \"scopes\": [\"read\"], \"owner\": \"" + reader.token() + "\","))),
                () -> expect(400, error(admin.call("PATCH", "tenants/" + slug + "/tokens/" + writer.id(),
                        "{\"name\": " + writer.token() + "}"))),
                () -> expect(400, error(admin.call("POST", "tenants/" + slug + "/tokens",
                        "{\"name\": \"x\", \"scopes\": [\"" + reader.token() + "\"]}"))),
                () -> expect(400, error(admin.call("POST", "tenants",
                        "{\"slug\": \"" + reader.token() + "\", \"name\": \"x\"}"))),
                () -> expect(400, error(admin.call("POST", "tenants/" + slug + "/tokens",
                        "{\"name\": \"x\", \"scopes\": [\"read\"], \"expiresAt\": \"" + reader.token() + "\"}"))));
        assertAll("the token endpoints",
                () -> expect(401, error(post(server.keygate("/oauth2/token"), null,
                        "grant_type=client_credentials&client_id=" + writer.id() + "&client_secret=" + reader.token()))),
                () -> expect(401, error(post(server.keygate("/oauth2/token"), basic(writer.id(), reader.token()),
                        "grant_type=client_credentials"))),
                () -> expect(400, error(post(server.keygate("/oauth2/token"), null,
                        "grant_type=password&username=nobody&password=" + writer.token()))),
                () -> expect(400, error(post(URI.create(server.keygate("/oauth2/token") + "?client_secret="
                        + writer.token()), null, "grant_type=client_credentials&client_id=" + writer.id()))),
                () -> expect(400, error(post(server.keygate("/oauth2/token"), null,
                        "grant_type=authorization_code&code=" + writer.token()))),
                () -> assertFalse(KeygateIT.object(expect(200, introspect(server, "Bearer " + introspector,
                        "garbage " + reader.token() + " garbage"))).getBoolean("active")),
                () -> assertFalse(KeygateIT.object(expect(200, introspect(server, "Bearer " + introspector,
                        KeygateIT.withBadChecksum(writer.token())))).getBoolean("active")),
                () -> assertFalse(KeygateIT.object(expect(200, introspect(server, "Bearer " + introspector,
                        revoked.token()))).getBoolean("active")),
                () -> expect(401, error(introspect(server, "Bearer " + revoked.token(), reader.token()))),
                () -> expect(403, error(introspect(server, "Bearer " + reader.token(), writer.token()))),
                () -> expect(401, error(introspect(server, null, writer.token()))),
                () -> expect(200, post(server.keygate("/oauth2/revoke"), null, "token=garbage" + reader.token())),
                () -> expect(400, error(verifier(server, introspector,
                        "{\"function\": \"verify\", \"arguments\": [\"" + reader.token() + "\"]"))),
                () -> expect(200, verifier(server, introspector,
                        "{\"function\": \"verify\", \"arguments\": [\"" + reader.token() + "\"]}")),
                () -> expect(403, error(verifier(server, tenantAdmin.token(),
                        "{\"function\": \"verify\", \"arguments\": [\"" + writer.token() + "\"]}"))));

        // The admin API and the token endpoints summarise failures into the audit log once a minute.
        Duration waited = untilAudited(admin, TokenFormat.displayPrefix(revoked.token()));

        PlaintextSearch search = new PlaintextSearch(PlaintextSearch.STORED);
        PlaintextSearch inAnswers = new PlaintextSearch(PlaintextSearch.ANSWERS);
        stored.forEach(search::add);
        presented.forEach(search::add);
        stored.forEach(inAnswers::add);
        presented.forEach(inAnswers::add);
        String log = Files.readString(server.log(), StandardCharsets.UTF_8);
        String dump = PostgresCluster.dump(KeygateOnPostgres.SCHEMA);
        StringBuilder answers = new StringBuilder();
        errors.forEach(answer -> answers.append(answer.statusCode()).append(' ').append(answer.headers().map())
                .append(' ').append(answer.body()).append('\n'));
        System.out.printf("NoPlaintextIT: %d plaintexts searched in %d lines of server log, %d lines of pg_dump and"
                        + " %d error answers (waited %d s for the audit summaries)%n", search.size(),
                log.lines().count(), dump.lines().count(), errors.size(), waited.toSeconds());

        assertAll("where to look",
                () -> assertTrue(log.contains("Keygate is storing tokens in jdbc:postgresql:")
                        && log.contains("currentSchema=" + KeygateOnPostgres.SCHEMA), "the log of this server"),
                () -> assertTrue(dump.contains(slug), "the dump holds this test's tenant"),
                () -> stored.forEach((name, plaintext) -> assertTrue(dump.contains(TokenHash.of(plaintext)),
                        "the dump holds the hash of " + name)),
                () -> assertFalse(search.findIn("the log with a planted token", log + "\nplanted "
                        + reader.token()).isEmpty(), "the search finds a token in the log's text"));
        assertAll("no plaintext",
                () -> assertEquals(List.of(), search.findIn("the server log", log)),
                () -> assertEquals(List.of(), search.findIn("the pg_dump of schema " + KeygateOnPostgres.SCHEMA,
                        dump)),
                () -> assertEquals(List.of(), inAnswers.findIn("the error answers", answers.toString())));
    }

    private HttpResponse<String> whoami(KeygateOnPostgres server, String authorization) {
        return track(KeygateIT.get(server.sample("/api/whoami"), "Authorization", authorization));
    }

    private HttpResponse<String> introspect(KeygateOnPostgres server, String authorization, String token) {
        return post(server.keygate("/oauth2/introspect"), authorization, "token=" + token);
    }

    private HttpResponse<String> verifier(KeygateOnPostgres server, String credential, String json) {
        return KeygateIT.send(KeygateIT.request(server.keygate("/verifier"))
                .header("Authorization", "Bearer " + credential)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json)).build());
    }

    /** A form POST; {@code authorization} may be null. */
    private static HttpResponse<String> post(URI uri, String authorization, String form) {
        HttpRequest.Builder request = KeygateIT.request(uri)
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(form));
        if (authorization != null) {
            request.header("Authorization", authorization);
        }
        return KeygateIT.send(request.build());
    }

    private String accessToken(KeygateOnPostgres server, String authorization, String form) {
        JsonObject answer = KeygateIT.object(expect(200, post(server.keygate("/oauth2/token"), authorization, form)));
        return answer.getString("access_token");
    }

    private static String basic(String id, String secret) {
        return "Basic " + Base64.getEncoder().encodeToString((URLEncoder.encode(id, StandardCharsets.UTF_8) + ":"
                + secret).getBytes(StandardCharsets.UTF_8));
    }

    /** Keeps an error answer for the search; a success is returned as it is. */
    private HttpResponse<String> track(HttpResponse<String> response) {
        return response.statusCode() >= 400 ? error(response) : response;
    }

    private HttpResponse<String> error(HttpResponse<String> response) {
        errors.add(response);
        return response;
    }

    /** Polls a request with a token about to expire until it is refused (its expiry is 5 s after creation). */
    private static HttpResponse<String> untilExpired(Supplier<HttpResponse<String>> request)
            throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(15).toNanos();
        HttpResponse<String> response = request.get();
        while (response.statusCode() == 200 && System.nanoTime() < deadline) {
            Thread.sleep(200);
            response = request.get();
        }
        return response;
    }

    /** Waits until the audit log has a failure summary for {@code prefix}; how long that took. */
    private static Duration untilAudited(AdminClient admin, String prefix) throws InterruptedException {
        long start = System.nanoTime();
        while (System.nanoTime() - start < AUDIT_FLUSH_BOUND.toNanos()) {
            for (JsonValue event : KeygateIT.array(expect(200, admin.get("audit?limit=1000")))) {
                JsonObject e = event.asJsonObject();
                if ("auth.failure".equals(e.getString("action")) && prefix.equals(e.getString("target", null))) {
                    return Duration.ofNanos(System.nanoTime() - start);
                }
            }
            Thread.sleep(1000);
        }
        throw new AssertionError("no failure summary in the audit log " + AUDIT_FLUSH_BOUND
                + " after the failed authentications");
    }
}
