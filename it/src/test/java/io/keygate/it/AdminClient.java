package io.keygate.it;

import jakarta.json.Json;
import jakarta.json.JsonArray;
import jakarta.json.JsonArrayBuilder;
import jakarta.json.JsonObject;
import jakarta.json.JsonObjectBuilder;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Instant;

/**
 * The admin API ({@code /keygate/api/v1}) as the tests use it: raw calls for tests about the API itself, and
 * helpers that insist on success for tests that only need a tenant or a token.
 *
 * <pre>
 * AdminClient admin = new AdminClient(api, adminToken);
 * admin.createTenant("acme", "Acme Inc");
 * IssuedToken ci = admin.issue("acme", "CI", "alice", null, "read");
 * </pre>
 */
final class AdminClient {

    private final URI api;
    private final String token;

    /** {@code api} ends with {@code /}; {@code token} is sent as the bearer token, or nothing when null. */
    AdminClient(URI api, String token) {
        this.api = api;
        this.token = token;
    }

    /** The same API, called with another token (or none). */
    AdminClient as(String otherToken) {
        return new AdminClient(api, otherToken);
    }

    /** {@code path} relative to the API root, e.g. {@code tenants/acme/tokens?limit=2}. */
    URI uri(String path) {
        return api.resolve(path);
    }

    HttpResponse<String> call(String method, String path, String json) {
        return call(method, uri(path), json);
    }

    HttpResponse<String> call(String method, URI uri, String json) {
        HttpRequest.Builder request = KeygateIT.request(uri).header("Accept", "application/json");
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        if (json == null) {
            request.method(method, HttpRequest.BodyPublishers.noBody());
        } else {
            request.header("Content-Type", "application/json")
                    .method(method, HttpRequest.BodyPublishers.ofString(json));
        }
        return KeygateIT.send(request.build());
    }

    HttpResponse<String> get(String path) {
        return call("GET", path, null);
    }

    JsonObject createTenant(String slug, String name) {
        String body = Json.createObjectBuilder().add("slug", slug).add("name", name).build().toString();
        return KeygateIT.object(expect(201, call("POST", "tenants", body)));
    }

    JsonObject patchTenant(String slug, JsonObject changes) {
        return KeygateIT.object(expect(200, call("PATCH", "tenants/" + slug, changes.toString())));
    }

    HttpResponse<String> postToken(String slug, String name, String owner, Instant expiresAt, String... scopes) {
        JsonArrayBuilder scopeArray = Json.createArrayBuilder();
        for (String scope : scopes) {
            scopeArray.add(scope);
        }
        JsonObjectBuilder body = Json.createObjectBuilder().add("name", name).add("scopes", scopeArray);
        if (owner != null) {
            body.add("owner", owner);
        }
        if (expiresAt != null) {
            body.add("expiresAt", expiresAt.toString());
        }
        return call("POST", "tenants/" + slug + "/tokens", body.build().toString());
    }

    /** Creates a token and returns it, plaintext included; {@code owner} and {@code expiresAt} may be null. */
    IssuedToken issue(String slug, String name, String owner, Instant expiresAt, String... scopes) {
        JsonObject created = KeygateIT.object(expect(201, postToken(slug, name, owner, expiresAt, scopes)));
        return new IssuedToken(slug, created.getString("id"), created.getString("token"), created);
    }

    void revoke(IssuedToken issued) {
        expect(204, call("DELETE", "tenants/" + issued.tenant() + "/tokens/" + issued.id(), null));
    }

    JsonObject token(IssuedToken issued) {
        return KeygateIT.object(expect(200, get("tenants/" + issued.tenant() + "/tokens/" + issued.id())));
    }

    /** The tenant's tokens, newest first (one page of up to 1000). */
    JsonArray tokens(String slug) {
        return KeygateIT.array(expect(200, get("tenants/" + slug + "/tokens?limit=1000")));
    }

    static HttpResponse<String> expect(int status, HttpResponse<String> response) {
        if (response.statusCode() != status) {
            throw new AssertionError("expected " + status + " from " + response.request().method() + " "
                    + response.request().uri() + " but got " + response.statusCode() + ": " + response.body());
        }
        return response;
    }

    /** A token as its creation answered: {@code token} is the plaintext, shown this once. */
    record IssuedToken(String tenant, String id, String token, JsonObject created) {
    }
}
