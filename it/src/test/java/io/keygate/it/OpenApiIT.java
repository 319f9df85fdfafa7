package io.keygate.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.keygate.it.AdminClient.IssuedToken;
import jakarta.json.JsonObject;
import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * {@code GET /keygate/openapi}, the OpenAPI document of {@code keygate.war}, against the server that serves it: every
 * operation it lists is called for real (a fresh tenant, real tokens, realistic bodies), for its success and for
 * refusals a client meets, and every answer must be one the document lists for that operation, with the members its
 * schema names ({@link OpenApiDocument}). An operation of the document that this test does not call fails it too, so
 * a new operation brings its requests here.
 */
class OpenApiIT extends EveryServerIT {

    private static final String API = "/keygate/api/v1";

    private final Map<String, List<HttpResponse<String>>> answers = new LinkedHashMap<>();
    private HttpResponse<String> served;

    @BeforeEach
    void fetchTheDocument() {
        served = get(server.resolve("/keygate/openapi"));
    }

    @Test
    void theDocumentIsPublicJsonThatCachesMayKeepAndRevalidate() {
        assertEquals(200, served.statusCode(), served.body());
        assertEquals("application/json", header(served, "Content-Type").split(";")[0].trim());
        assertTrue(header(served, "Cache-Control").contains("max-age="), header(served, "Cache-Control"));
        JsonObject document = object(served);
        assertTrue(document.getString("openapi").startsWith("3."), document.getString("openapi"));
        assertEquals("bearer", document.getJsonObject("components").getJsonObject("securitySchemes")
                .getJsonObject("bearer").getString("scheme"));
        HttpResponse<String> again = get(server.resolve("/keygate/openapi"), "If-None-Match", header(served, "ETag"));
        assertEquals(304, again.statusCode(), "revalidated with its ETag");
        HttpResponse<String> json = get(server.resolve("/keygate/openapi?format=json"), "Accept", "application/json");
        assertEquals(served.body(), json.body(), "?format=json");
        assertEquals(406, get(server.resolve("/keygate/openapi?format=yaml")).statusCode(), "no YAML form");
    }

    @Test
    void everyDocumentedOperationAnswersAsTheDocumentSays() {
        OpenApiDocument document = new OpenApiDocument(object(served));
        callEveryOperation();

        Set<String> notCalled = new TreeSet<>(document.operations());
        notCalled.removeAll(answers.keySet());
        assertEquals(Set.of(), notCalled, "operations of the document that this test does not call");
        assertEquals(Set.of(), new TreeSet<>(answers.keySet()).stream()
                .filter(op -> !document.operations().contains(op)).collect(Collectors.toSet()),
                "calls of operations the document does not have");
        List<String> differences = new ArrayList<>();
        answers.forEach((operation, responses) -> responses
                .forEach(response -> differences.addAll(document.differences(operation, response))));
        assertEquals(List.of(), differences, "answers that differ from the document");
        answers.forEach((operation, responses) -> assertTrue(responses.stream()
                .anyMatch(r -> r.statusCode() / 100 == 2), operation + " never succeeded: " + responses));
        assertTrue(answers.values().stream().mapToInt(List::size).sum() >= 2 * answers.size(),
                "successes and refusals of every operation");
    }

    /** Every operation of keygate.war's HTTP API, each for its success and for refusals a client meets. */
    private void callEveryOperation() {
        String tenant = uniqueSlug("openapi");
        String body = "{\"slug\": \"" + tenant + "\", \"name\": \"OpenAPI Inc\", \"maxTokenLifetimeSeconds\": null}";
        call("POST", "/tenants", "/tenants", ADMIN_TOKEN, body);
        call("POST", "/tenants", "/tenants", ADMIN_TOKEN, body);
        call("POST", "/tenants", "/tenants", ADMIN_TOKEN, "{\"slug\": \"" + uniqueSlug("x") + "\", \"nam\": \"X\"}");
        call("GET", "/tenants", "/tenants?limit=2", ADMIN_TOKEN, null);
        call("GET", "/tenants", "/tenants?limit=0", ADMIN_TOKEN, null);
        call("GET", "/tenants", "/tenants", null, null);
        call("GET", "/tenants/{slug}", "/tenants/" + tenant, ADMIN_TOKEN, null);
        call("GET", "/tenants/{slug}", "/tenants/" + uniqueSlug("unknown"), ADMIN_TOKEN, null);
        call("PATCH", "/tenants/{slug}", "/tenants/" + tenant, ADMIN_TOKEN,
                "{\"name\": \"OpenAPI Ltd\", \"maxTokenLifetimeSeconds\": 31536000}");
        call("PATCH", "/tenants/{slug}", "/tenants/" + tenant, ADMIN_TOKEN, "{\"apiAccessEnabled\": \"yes\"}");

        String tokens = "/tenants/" + tenant + "/tokens";
        String expires = java.time.Instant.now().plusSeconds(86_400).toString();
        HttpResponse<String> created = call("POST", "/tenants/{slug}/tokens", tokens, ADMIN_TOKEN,
                "{\"name\": \"Website\", \"scopes\": [\"read\", \"write\"], \"owner\": \"alice\", \"expiresAt\": \""
                        + expires + "\", \"rateLimit\": {\"requests\": 1000, \"windowSeconds\": 60},"
                        + " \"allowedAddresses\": [\"198.18.0.0/15\", \"127.0.0.1\"]}");
        call("POST", "/tenants/{slug}/tokens", tokens, ADMIN_TOKEN, "{\"name\": \"No scopes\", \"expiresAt\": \""
                + expires + "\"}");
        call("POST", "/tenants/{slug}/tokens", "/tenants/" + uniqueSlug("unknown") + "/tokens", ADMIN_TOKEN,
                "{\"name\": \"Nowhere\", \"scopes\": [\"read\"]}");
        IssuedToken secret = issued(tenant, created);
        IssuedToken tenantAdmin = admin().issue(tenant, "Tenant admin", null, java.time.Instant.now()
                .plusSeconds(86_400), "admin");
        call("GET", "/tenants/{slug}/tokens", tokens + "?limit=1", tenantAdmin.token(), null);
        call("GET", "/tenants/{slug}/tokens", tokens + "?cursor=forged", ADMIN_TOKEN, null);
        String one = tokens + "/" + secret.id();
        call("GET", "/tenants/{slug}/tokens/{id}", one, ADMIN_TOKEN, null);
        call("GET", "/tenants/{slug}/tokens/{id}", tokens + "/tok_000000000000000000000000", ADMIN_TOKEN, null);
        call("PATCH", "/tenants/{slug}/tokens/{id}", one, tenantAdmin.token(),
                "{\"name\": \"Website v2\", \"rateLimit\": null}");
        call("PATCH", "/tenants/{slug}/tokens/{id}", one, ADMIN_TOKEN, "{\"expires_at\": \"" + expires + "\"}");

        HttpResponse<String> exchanged = form("/oauth2/token", null, "grant_type", "client_credentials",
                "client_id", secret.id(), "client_secret", secret.token(), "scope", "read");
        form("/oauth2/token", null, "grant_type", "client_credentials", "client_id", secret.id(), "client_secret",
                withBadChecksum(secret.token()));
        form("/oauth2/token", null, "grant_type", "authorization_code", "code", "x");
        form("/oauth2/token", null, "grant_type", "password", "username", "alice", "password", secret.token(),
                "scope", "admin");
        String accessToken = object(exchanged).getString("access_token", "");
        HttpResponse<String> issuedBy = call("GET", "/tenants/{slug}/tokens/{id}/access-tokens",
                one + "/access-tokens", ADMIN_TOKEN, null);
        call("GET", "/tenants/{slug}/tokens/{id}/access-tokens", one + "/access-tokens?limit=1001", ADMIN_TOKEN, null);
        String accessId = array(issuedBy).isEmpty() ? "tok_none" : array(issuedBy).getJsonObject(0).getString("id");
        call("PATCH", "/tenants/{slug}/tokens/{id}", tokens + "/" + accessId, ADMIN_TOKEN, "{\"name\": \"Changed\"}");

        form("/oauth2/introspect", ADMIN_TOKEN, "token", accessToken);
        form("/oauth2/introspect", tenantAdmin.token(), "token", wellFormedUnknownToken());
        form("/oauth2/introspect", null, "token", secret.token());
        form("/oauth2/introspect", accessToken, "token", secret.token());
        form("/oauth2/introspect", ADMIN_TOKEN);

        HttpResponse<String> rotated = call("POST", "/tenants/{slug}/tokens/{id}/rotate", one + "/rotate",
                ADMIN_TOKEN, "{\"graceSeconds\": 60}");
        call("POST", "/tenants/{slug}/tokens/{id}/rotate", one + "/rotate", ADMIN_TOKEN, "{}");
        call("POST", "/tenants/{slug}/tokens/{id}/rotate", one + "/rotate", ADMIN_TOKEN, "{\"graceSeconds\": -1}");
        IssuedToken successor = issued(tenant, rotated);
        call("DELETE", "/tenants/{slug}/tokens/{id}", tokens + "/" + successor.id(), tenantAdmin.token(), null);
        call("DELETE", "/tenants/{slug}/tokens/{id}", tokens + "/" + successor.id(), ADMIN_TOKEN, null);
        call("DELETE", "/tenants/{slug}/tokens/{id}", tokens + "/tok_000000000000000000000000", ADMIN_TOKEN, null);

        call("GET", "/tenants/{slug}/tokens", tokens + "?status=revoked&limit=1", ADMIN_TOKEN, null);
        call("GET", "/tenants/{slug}/tokens", tokens + "?status=bogus", ADMIN_TOKEN, null);

        IssuedToken doomed = admin().issue(tenant, "Leaked", null, java.time.Instant.now().plusSeconds(86_400),
                "read");
        form("/oauth2/revoke", null, "token", doomed.token());
        form("/oauth2/revoke", null, "token", "not a token");
        form("/oauth2/revoke", null);

        call("GET", "/tenants/{slug}/audit", "/tenants/" + tenant + "/audit?limit=5", tenantAdmin.token(), null);
        call("GET", "/tenants/{slug}/audit", "/tenants/" + tenant + "/audit", wellFormedUnknownToken(), null);

        HttpResponse<String> global = call("POST", "/admin-tokens", "/admin-tokens", ADMIN_TOKEN,
                "{\"name\": \"OpenAPI introspection\", \"scopes\": [\"introspect\"], \"expiresAt\": \"" + expires
                        + "\"}");
        call("POST", "/admin-tokens", "/admin-tokens", tenantAdmin.token(), "{\"name\": \"Not mine to make\"}");
        call("POST", "/admin-tokens", "/admin-tokens", ADMIN_TOKEN, "{\"name\": \"X\", \"scopes\": [\"read\"]}");
        call("GET", "/admin-tokens", "/admin-tokens?limit=2", ADMIN_TOKEN, null);
        call("GET", "/admin-tokens", "/admin-tokens", tenantAdmin.token(), null);
        String globalId = object(global).getString("id", "tok_none");
        call("GET", "/admin-tokens/{id}", "/admin-tokens/" + globalId, ADMIN_TOKEN, null);
        call("GET", "/admin-tokens/{id}", "/admin-tokens/tok_000000000000000000000000", ADMIN_TOKEN, null);
        call("DELETE", "/admin-tokens/{id}", "/admin-tokens/" + globalId, ADMIN_TOKEN, null);
        call("DELETE", "/admin-tokens/{id}", "/admin-tokens/" + globalId, "Bearer-not a token", null);

        call("GET", "/audit", "/audit?limit=3", ADMIN_TOKEN, null);
        call("GET", "/audit", "/audit", tenantAdmin.token(), null);
        call("GET", "/stats", "/stats", ADMIN_TOKEN, null);
        call("GET", "/stats", "/stats", accessToken, null);
    }

    /** {@code METHOD path} of the admin API by the template the document names, sent to the concrete path. */
    private HttpResponse<String> call(String method, String template, String path, String token, String json) {
        AdminClient client = new AdminClient(server.resolve(API + "/"), token);
        return record(method + " " + API + template, client.call(method, server.resolve(API + path), json));
    }

    /** A form {@code POST} to a token endpoint of keygate.war, with {@code bearer} when not null. */
    private HttpResponse<String> form(String endpoint, String bearer, String... parameters) {
        StringBuilder form = new StringBuilder();
        for (int i = 0; i < parameters.length; i += 2) {
            form.append(form.isEmpty() ? "" : "&").append(parameters[i]).append('=')
                    .append(URLEncoder.encode(parameters[i + 1], StandardCharsets.UTF_8));
        }
        HttpRequest.Builder request = request(server.resolve("/keygate" + endpoint))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(form.toString()));
        if (bearer != null) {
            request.header("Authorization", "Bearer " + bearer);
        }
        return record("POST /keygate" + endpoint, send(request.build()));
    }

    private HttpResponse<String> record(String operation, HttpResponse<String> response) {
        answers.computeIfAbsent(operation, o -> new ArrayList<>()).add(response);
        return response;
    }

    private static IssuedToken issued(String tenant, HttpResponse<String> created) {
        JsonObject token = object(AdminClient.expect(201, created));
        return new IssuedToken(tenant, token.getString("id"), token.getString("token"), token);
    }
}
