package io.keygate.it;

import jakarta.json.Json;
import jakarta.json.JsonObject;
import jakarta.json.JsonReader;
import jakarta.json.JsonStructure;
import jakarta.json.JsonValue;
import java.io.StringReader;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;

/**
 * The OpenAPI 3 document that {@code keygate.war} serves at {@code /keygate/openapi}, read as a client reads it: its
 * operations, and whether a real answer is one that the document lists for the operation. A status the operation does
 * not list, a content type it does not list, a JSON body whose top-level members are not its schema's properties (a
 * required one missing, or one the schema does not name), a {@code 201} without its {@code Location}: each is a
 * difference between the document and the server, which {@link #differences} names.
 */
final class OpenApiDocument {

    private final JsonObject document;
    private final String base;

    /** {@code document} as served; its first server's URL is the prefix of every path ({@code /keygate}). */
    OpenApiDocument(JsonObject document) {
        this.document = document;
        this.base = document.getJsonArray("servers").getJsonObject(0).getString("url");
    }

    /** {@code METHOD /keygate/path} of every operation, sorted. */
    Set<String> operations() {
        Set<String> operations = new TreeSet<>();
        document.getJsonObject("paths").forEach((path, item) -> item.asJsonObject().keySet()
                .forEach(method -> operations.add(method.toUpperCase(Locale.ROOT) + " " + base + path)));
        return operations;
    }

    /** The statuses that {@code operation} ({@code METHOD /keygate/path}) lists. */
    Set<String> statuses(String operation) {
        return operation(operation).getJsonObject("responses").keySet();
    }

    /** What in {@code response} to {@code operation} the document does not say; empty when it answered as documented. */
    List<String> differences(String operation, HttpResponse<String> response) {
        List<String> differences = new ArrayList<>();
        String status = Integer.toString(response.statusCode());
        String where = operation + " answered " + status + " (" + response.request().uri() + "): ";
        JsonObject responses = operation(operation).getJsonObject("responses");
        if (!responses.containsKey(status)) {
            differences.add(where + "an undocumented status; documented: " + responses.keySet() + "; " + response.body());
            return differences;
        }
        JsonObject documented = resolve(responses.getJsonObject(status));
        if (documented.containsKey("headers") && documented.getJsonObject("headers").containsKey("Location")
                && response.headers().firstValue("Location").isEmpty()) {
            differences.add(where + "no Location");
        }
        JsonObject content = documented.getJsonObject("content");
        if (content == null) {
            if (!response.body().isEmpty()) {
                differences.add(where + "a body where the document has none: " + response.body());
            }
            return differences;
        }
        String type = response.headers().firstValue("Content-Type").orElse("").split(";")[0].trim()
                .toLowerCase(Locale.ROOT);
        if (!content.containsKey(type)) {
            differences.add(where + "Content-Type '" + type + "', documented " + content.keySet());
            return differences;
        }
        JsonStructure body;
        try (JsonReader reader = Json.createReader(new StringReader(response.body()))) {
            body = reader.read();
        } catch (RuntimeException e) {
            differences.add(where + "not JSON: " + response.body());
            return differences;
        }
        JsonObject schema = resolve(content.getJsonObject(type).getJsonObject("schema"));
        if ("array".equals(schema.getString("type", null))) {
            if (body.getValueType() != JsonValue.ValueType.ARRAY) {
                differences.add(where + "not an array: " + response.body());
            } else {
                JsonObject items = resolve(schema.getJsonObject("items"));
                body.asJsonArray().forEach(element -> members(where + "an element: ", items, element, differences));
            }
        } else {
            members(where, schema, body, differences);
        }
        return differences;
    }

    /** Whether the members of {@code value} are the properties of the object {@code schema}. */
    private static void members(String where, JsonObject schema, JsonValue value, List<String> differences) {
        if (value.getValueType() != JsonValue.ValueType.OBJECT) {
            differences.add(where + "not an object: " + value);
            return;
        }
        Set<String> members = value.asJsonObject().keySet();
        Set<String> properties = schema.getJsonObject("properties").keySet();
        Set<String> undocumented = new TreeSet<>(members);
        undocumented.removeAll(properties);
        Set<String> missing = new TreeSet<>();
        if (schema.containsKey("required")) {
            schema.getJsonArray("required").getValuesAs(jakarta.json.JsonString.class)
                    .forEach(required -> missing.add(required.getString()));
        }
        missing.removeAll(members);
        if (!undocumented.isEmpty() || !missing.isEmpty()) {
            differences.add(where + "undocumented members " + undocumented + ", required members missing " + missing
                    + ": " + value);
        }
    }

    private JsonObject operation(String operation) {
        String[] parts = operation.split(" ", 2);
        JsonObject item = document.getJsonObject("paths").getJsonObject(parts[1].substring(base.length()));
        if (item == null || !item.containsKey(parts[0].toLowerCase(Locale.ROOT))) {
            throw new AssertionError("the document has no operation " + operation);
        }
        return item.getJsonObject(parts[0].toLowerCase(Locale.ROOT));
    }

    /** {@code value}, its {@code $ref} followed within the document. */
    private JsonObject resolve(JsonObject value) {
        JsonObject current = value;
        while (current.containsKey("$ref")) {
            String ref = current.getString("$ref");
            JsonValue target = document;
            for (String part : ref.substring(2).split("/")) {
                target = target.asJsonObject().get(part);
                if (target == null) {
                    throw new AssertionError("unresolved " + ref);
                }
            }
            current = target.asJsonObject();
        }
        return current;
    }
}
