package io.keygate.it;

import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.keygate.it.AdminClient.IssuedToken;
import io.keygate.token.TokenFormat;
import jakarta.json.JsonObject;
import jakarta.json.JsonValue;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/**
 * The README's Security section: only the {@code kg_} prefix of {@code kg_}-shaped input ever reaches the audit
 * log. Every way a credential is presented (the admin API's and introspection's bearer token, the token endpoint's
 * client secret and the password grant's password, a protected WAR's bearer token on a protected and on a public
 * path, counted by the filter and reported to {@code keygate.war}) is given a token nobody issued and a secret of
 * another shape (a user's password, an operator's admin value, {@code kg_} and a password). Once the failure
 * summaries are written (at most a minute), each unknown token's listing prefix is in the audit log and no part of
 * the other secrets is.
 */
class AuditPrefixIT extends EveryServerIT {

    /** How long until the failure summaries of the last minute are in the audit log: one period, plus slack. */
    private static final Duration AUDIT_FLUSH_BOUND = Duration.ofSeconds(75);

    /** A secret that starts with eight characters of its own, so that its prefix cannot be anything else's. */
    private static String secret(String start, String rest) {
        return start + TokenFormat.generate(RANDOM).substring(3, 11 - start.length()) + rest;
    }

    @Test
    void onlyTheListingPrefixOfTokenShapedInputReachesTheAuditLog() throws Exception {
        AdminClient admin = admin();
        String tenant = uniqueSlug("audit-prefix");
        admin.createTenant(tenant, "Audit prefix");
        IssuedToken client = admin.issue(tenant, "Client", "alice", null, "read");
        Instant start = Instant.now();
        Map<String, String> unknown = new LinkedHashMap<>();
        Map<String, String> secrets = new LinkedHashMap<>();
        List<HttpResponse<String>> refusals = new ArrayList<>();

        for (String path : List.of("admin API", "introspection", "client_credentials", "password grant",
                "protected path", "public path")) {
            unknown.put(path, wellFormedUnknownToken());
        }
        secrets.put("admin API", secret("", "-operator-admin-value-0123456789"));
        secrets.put("introspection", secret("kg_", "-Hunter2-is-my-password"));
        secrets.put("client_credentials", secret("", "-some-other-vendors-api-key"));
        secrets.put("password grant", secret("", "-Tr0ub4dor&3 my real password"));
        secrets.put("protected path", secret("", "-a-session-token.of.another.kind"));
        secrets.put("public path", secret("kg_", "x"));

        for (String path : unknown.keySet()) {
            for (String presented : List.of(unknown.get(path), secrets.get(path))) {
                refusals.add(switch (path) {
                    case "admin API" -> get(server.resolve("/keygate/api/v1/tenants"),
                            "Authorization", "Bearer " + presented);
                    case "introspection" -> send(form(server.resolve("/keygate/oauth2/introspect"),
                            "Bearer " + presented, "token=" + encode(client.token())));
                    case "client_credentials" -> send(form(server.resolve("/keygate/oauth2/token"), null,
                            "grant_type=client_credentials&client_id=" + client.id() + "&client_secret="
                                    + encode(presented)));
                    case "password grant" -> send(form(server.resolve("/keygate/oauth2/token"), null,
                            "grant_type=password&username=alice&password=" + encode(presented)));
                    case "protected path" -> get(sample("/api/whoami"), "Authorization", "Bearer " + presented);
                    default -> get(sample("/public/status"), "Authorization", "Bearer " + presented);
                });
            }
        }
        List<Integer> statuses = refusals.stream().map(HttpResponse::statusCode).toList();
        assertEquals(List.of(401, 401, 401, 401, 401, 401, 401, 401, 401, 401, 200, 200), statuses,
                "refused in the order of " + unknown.keySet() + " (a public path never fails)");

        List<JsonObject> failures = untilAudited(admin, start, unknown.values());
        Set<String> targets = new TreeSet<>();
        StringBuilder everything = new StringBuilder();
        failures.forEach(e -> {
            targets.add(e.getString("target", null) == null ? "null" : e.getString("target"));
            everything.append(e).append('\n');
        });
        System.out.printf("AuditPrefixIT: %d failure summaries since the start, targets %s%n", failures.size(),
                targets);

        assertAll(unknown.keySet().stream().map(path -> () -> {
            assertTrue(targets.contains(TokenFormat.displayPrefix(unknown.get(path))),
                    path + ": the unknown token's listing prefix is in the audit log: " + targets);
            String secret = secrets.get(path);
            assertFalse(targets.contains(secret.substring(0, TokenFormat.DISPLAY_PREFIX_LENGTH)),
                    path + ": the start of a secret of another shape is in the audit log: " + targets);
            assertFalse(everything.toString().contains(secret.substring(secret.startsWith("kg_") ? 3 : 0,
                    TokenFormat.DISPLAY_PREFIX_LENGTH)), path + ": part of a secret: " + everything);
        }));
    }

    /** The failure summaries since {@code start}, once they name every one of {@code tokens}' prefixes. */
    private static List<JsonObject> untilAudited(AdminClient admin, Instant start, Iterable<String> tokens)
            throws InterruptedException {
        long begin = System.nanoTime();
        List<JsonObject> failures = List.of();
        while (System.nanoTime() - begin < AUDIT_FLUSH_BOUND.toNanos()) {
            List<JsonObject> found = new ArrayList<>();
            for (JsonValue event : array(AdminClient.expect(200, admin.get("audit?limit=1000")))) {
                JsonObject e = event.asJsonObject();
                if ("auth.failure".equals(e.getString("action"))
                        && !Instant.parse(e.getString("createdAt")).isBefore(start)) {
                    found.add(e);
                }
            }
            failures = found;
            Set<String> targets = new TreeSet<>();
            found.forEach(e -> targets.add(e.getString("target", "")));
            boolean all = true;
            for (String token : tokens) {
                all &= targets.contains(TokenFormat.displayPrefix(token));
            }
            if (all) {
                System.out.printf("AuditPrefixIT: the summaries were written %d s after the failures%n",
                        Duration.ofNanos(System.nanoTime() - begin).toSeconds());
                return failures;
            }
            Thread.sleep(1000);
        }
        return failures;
    }

    private static HttpRequest form(URI uri, String authorization, String body) {
        HttpRequest.Builder request = request(uri).header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(body));
        if (authorization != null) {
            request.header("Authorization", authorization);
        }
        return request.build();
    }

    private static String encode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }
}
