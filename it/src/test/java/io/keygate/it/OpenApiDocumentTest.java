package io.keygate.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import jakarta.json.Json;
import jakarta.json.JsonObject;
import java.io.StringReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpHeaders;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import javax.net.ssl.SSLSession;
import org.junit.jupiter.api.Test;

/**
 * {@link OpenApiDocument} finds what {@link OpenApiIT} must find: an undocumented status, a member the schema does not
 * name, a required one missing, another content type, a {@code 201} without {@code Location}; and nothing in an answer
 * as documented.
 */
class OpenApiDocumentTest {

    private static final String DOCUMENT = """
            {"openapi": "3.0.3", "servers": [{"url": "/keygate"}], "paths": {"/api/v1/things": {"post": {
              "responses": {
                "201": {"headers": {"Location": {"schema": {"type": "string"}}},
                        "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Thing"}}}},
                "204": {"description": "none"},
                "400": {"$ref": "#/components/responses/BadRequest"}}},
              "get": {"responses": {"200": {"content": {"application/json": {"schema": {"type": "array",
                "items": {"$ref": "#/components/schemas/Thing"}}}}}}}}},
             "components": {
              "responses": {"BadRequest": {"content": {"application/problem+json": {"schema": {"type": "object",
                "properties": {"status": {}, "error": {}}, "required": ["status"]}}}}},
              "schemas": {"Thing": {"type": "object", "properties": {"id": {}, "note": {}}, "required": ["id"]}}}}
            """;

    private final OpenApiDocument document = new OpenApiDocument(read(DOCUMENT));

    @Test
    void listsTheOperationsUnderTheServerUrl() {
        assertEquals(Set.of("GET /keygate/api/v1/things", "POST /keygate/api/v1/things"), document.operations());
    }

    @Test
    void anAnswerAsDocumentedHasNoDifference() {
        assertEquals(List.of(), document.differences("POST /keygate/api/v1/things",
                answer(201, "application/json; charset=UTF-8", "{\"id\": 1, \"note\": null}", "Location", "/x")));
        assertEquals(List.of(), document.differences("POST /keygate/api/v1/things", answer(204, null, "")));
        assertEquals(List.of(), document.differences("POST /keygate/api/v1/things",
                answer(400, "application/problem+json", "{\"status\": 400}")));
        assertEquals(List.of(), document.differences("GET /keygate/api/v1/things",
                answer(200, "application/json", "[{\"id\": 1}, {\"id\": 2, \"note\": \"n\"}]")));
    }

    @Test
    void findsEachWayAnAnswerDiffersFromTheDocument() {
        String post = "POST /keygate/api/v1/things";
        assertDiffers(post, answer(409, "application/problem+json", "{\"status\": 409}"), "undocumented status");
        assertDiffers(post, answer(201, "application/json", "{\"id\": 1, \"secret\": 2}", "Location", "/x"),
                "undocumented members [secret]");
        assertDiffers(post, answer(201, "application/json", "{\"note\": 1}", "Location", "/x"),
                "required members missing [id]");
        assertDiffers(post, answer(201, "application/json", "{\"id\": 1}"), "no Location");
        assertDiffers(post, answer(400, "application/json", "{\"status\": 400}"), "Content-Type");
        assertDiffers(post, answer(204, null, "{}"), "a body where the document has none");
        assertDiffers("GET /keygate/api/v1/things", answer(200, "application/json", "[{\"id\": 1}, {\"x\": 2}]"),
                "an element");
    }

    private void assertDiffers(String operation, HttpResponse<String> response, String expected) {
        List<String> differences = document.differences(operation, response);
        assertEquals(1, differences.size(), differences.toString());
        assertTrue(differences.get(0).contains(expected), differences.get(0));
    }

    private static JsonObject read(String json) {
        return Json.createReader(new StringReader(json)).readObject();
    }

    /** An answer with {@code status}, {@code Content-Type} {@code type} (none when null), {@code body} and headers. */
    private static HttpResponse<String> answer(int status, String type, String body, String... headers) {
        Map<String, List<String>> map = new java.util.HashMap<>();
        if (type != null) {
            map.put("Content-Type", List.of(type));
        }
        for (int i = 0; i < headers.length; i += 2) {
            map.put(headers[i], List.of(headers[i + 1]));
        }
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://localhost/keygate/api/v1/things")).build();
        return new HttpResponse<>() {
            @Override public int statusCode() { return status; }
            @Override public HttpRequest request() { return request; }
            @Override public Optional<HttpResponse<String>> previousResponse() { return Optional.empty(); }
            @Override public HttpHeaders headers() { return HttpHeaders.of(map, (n, v) -> true); }
            @Override public String body() { return body; }
            @Override public Optional<SSLSession> sslSession() { return Optional.empty(); }
            @Override public URI uri() { return request.uri(); }
            @Override public HttpClient.Version version() { return HttpClient.Version.HTTP_1_1; }
        };
    }
}
