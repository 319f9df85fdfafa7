package io.keygate.server.openapi;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.keygate.server.store.TokenStatus;
import jakarta.json.Json;
import jakarta.json.JsonArray;
import jakarta.json.JsonObject;
import jakarta.json.JsonReader;
import jakarta.json.JsonString;
import jakarta.json.JsonStructure;
import jakarta.json.JsonValue;
import jakarta.servlet.annotation.WebServlet;
import jakarta.servlet.http.HttpServlet;
import jakarta.ws.rs.ApplicationPath;
import jakarta.ws.rs.HttpMethod;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.QueryParam;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.lang.annotation.Annotation;
import java.lang.reflect.Method;
import java.lang.reflect.Parameter;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.BiConsumer;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The OpenAPI document that {@code keygate.war} serves ({@link OpenApiServlet#DOCUMENT}) against the code: every
 * resource method of the admin API and every method of the token endpoints' servlets is an operation of the
 * document, and the document has no operation the code does not answer. Someone who adds an endpoint and forgets
 * the document fails here, before any server starts.
 */
class OpenApiDocumentTest {

    private static final String ADMIN_PACKAGE = "io.keygate.server.admin";
    private static final String OAUTH_PACKAGE = "io.keygate.server.oauth2";
    private static final List<String> SERVLET_METHODS = List.of("Get", "Post", "Put", "Delete", "Patch");

    private static JsonObject document;

    @BeforeAll
    static void readDocument() throws IOException {
        try (InputStream in = OpenApiServlet.class.getClassLoader().getResourceAsStream(OpenApiServlet.DOCUMENT);
             JsonReader reader = Json.createReader(in)) {
            document = reader.readObject();
        }
    }

    @Test
    void theDocumentHasExactlyTheOperationsOfTheAdminResourcesAndTheTokenEndpoints() {
        assertEquals(operationsInTheCode(), operationsInTheDocument(),
                "METHOD path of the code (expected) and of META-INF/openapi.json (actual)");
    }

    @Test
    void theCodeHasAdminResourcesAndTokenEndpointsToCompare() {
        Set<String> code = operationsInTheCode();
        assertTrue(code.contains("POST /api/v1/tenants/{slug}/tokens/{id}/rotate"), code.toString());
        assertTrue(code.contains("POST /oauth2/token"), code.toString());
        assertTrue(code.size() >= 20, code.toString());
    }

    @Test
    void everyReferenceResolvesAndEveryOperationHasAnIdAndAnOkStatus() {
        List<String> unresolved = new ArrayList<>();
        references(document, unresolved);
        assertTrue(unresolved.isEmpty(), "unresolved: " + unresolved);
        Set<String> ids = new TreeSet<>();
        document.getJsonObject("paths").forEach((path, item) -> item.asJsonObject().forEach((method, op) -> {
            JsonObject operation = op.asJsonObject();
            assertTrue(ids.add(operation.getString("operationId")), "operationId twice: " + method + " " + path);
            assertTrue(operation.getJsonObject("responses").keySet().stream().anyMatch(s -> s.startsWith("2")),
                    method + " " + path + " documents no success");
        }));
    }

    @Test
    void theBearerSchemeIsHttpBearerAndTheAdminApiNeedsIt() {
        JsonObject bearer = document.getJsonObject("components").getJsonObject("securitySchemes")
                .getJsonObject("bearer");
        assertEquals("http", bearer.getString("type"));
        assertEquals("bearer", bearer.getString("scheme"));
        assertEquals("bearer", document.getJsonArray("security").getJsonObject(0).keySet().iterator().next());
        assertEquals("3.0.3", document.getString("openapi"));
        assertEquals("/keygate", document.getJsonArray("servers").getJsonObject(0).getString("url"));
    }

    @Test
    void everyProblemOfTheAdminApiIsProblemJsonAndEveryErrorOfTheTokenEndpointsIsOAuthJson() {
        document.getJsonObject("paths").forEach((path, item) -> item.asJsonObject().forEach((method, op) ->
                op.asJsonObject().getJsonObject("responses").forEach((status, ref) -> {
                    if (status.startsWith("2")) {
                        return;
                    }
                    JsonObject content = resolve(ref.asJsonObject()).getJsonObject("content");
                    String expected = path.startsWith("/api/") ? "application/problem+json" : "application/json";
                    String schema = path.startsWith("/api/") ? "Problem" : "OAuthError";
                    assertEquals(Set.of(expected), content.keySet(), method + " " + path + " " + status);
                    assertEquals("#/components/schemas/" + schema, content.getJsonObject(expected)
                            .getJsonObject("schema").getString("$ref"), method + " " + path + " " + status);
                })));
    }

    /**
     * Every {@code ?name=} a resource method of the admin API reads is a query parameter of its operation, and the
     * document names no query parameter the code ignores: a listing's filter that a client cannot discover from
     * the document is as good as missing.
     */
    @Test
    void everyOperationDocumentsExactlyTheQueryParametersItsResourceMethodReads() {
        Map<String, Set<String>> code = new TreeMap<>();
        adminResourceMethods((operation, method) -> {
            Set<String> names = new TreeSet<>();
            for (Parameter parameter : method.getParameters()) {
                QueryParam query = parameter.getAnnotation(QueryParam.class);
                if (query != null) {
                    names.add(query.value());
                }
            }
            code.put(operation, names);
        });
        Map<String, Set<String>> documented = new TreeMap<>();
        document.getJsonObject("paths").forEach((path, item) -> item.asJsonObject().forEach((method, op) -> {
            if (path.startsWith("/api/")) {
                Set<String> names = new TreeSet<>();
                JsonArray parameters = op.asJsonObject().getJsonArray("parameters");
                for (JsonValue parameter : parameters == null ? List.<JsonValue>of() : parameters) {
                    JsonObject resolved = resolve(parameter.asJsonObject());
                    if ("query".equals(resolved.getString("in"))) {
                        names.add(resolved.getString("name"));
                    }
                }
                documented.put(method.toUpperCase(Locale.ROOT) + " " + path, names);
            }
        }));
        assertEquals(code, documented, "query parameters of the code (expected) and of the document (actual)");
        assertTrue(code.get("GET /api/v1/tenants/{slug}/tokens").contains("status"), code.toString());
    }

    /** The {@code status} filter of the token listing takes exactly the values of a token's {@code status}. */
    @Test
    void theStatusFilterTakesTheValuesOfATokensStatus() {
        List<String> statuses = Stream.of(TokenStatus.values()).map(TokenStatus::json).toList();
        JsonObject parameter = document.getJsonObject("components").getJsonObject("parameters")
                .getJsonObject("tokenStatus");
        assertEquals("status", parameter.getString("name"));
        assertEquals(statuses, parameter.getJsonObject("schema").getJsonArray("enum")
                .getValuesAs(JsonString::getString));
        assertEquals(statuses, document.getJsonObject("components").getJsonObject("schemas").getJsonObject("Token")
                .getJsonObject("properties").getJsonObject("status").getJsonArray("enum")
                .getValuesAs(JsonString::getString));
    }

    /** {@code METHOD /path} for every operation of the document. */
    private static Set<String> operationsInTheDocument() {
        Set<String> operations = new TreeSet<>();
        document.getJsonObject("paths").forEach((path, item) -> item.asJsonObject().keySet()
                .forEach(method -> operations.add(method.toUpperCase(Locale.ROOT) + " " + path)));
        return operations;
    }

    /** {@code METHOD /path} of every JAX-RS resource method of the admin API and every token endpoint servlet. */
    private static Set<String> operationsInTheCode() {
        Set<String> operations = new TreeSet<>();
        adminResourceMethods((operation, method) -> operations.add(operation));
        for (Class<?> type : classesOf(OAUTH_PACKAGE)) {
            WebServlet servlet = type.getAnnotation(WebServlet.class);
            if (servlet == null) {
                continue;
            }
            String[] patterns = servlet.urlPatterns().length > 0 ? servlet.urlPatterns() : servlet.value();
            for (Method method : type.getDeclaredMethods()) {
                SERVLET_METHODS.stream().filter(m -> method.getName().equals("do" + m)
                        && HttpServlet.class.isAssignableFrom(type)).forEach(m -> {
                            for (String pattern : patterns) {
                                operations.add(m.toUpperCase(Locale.ROOT) + " " + pattern);
                            }
                        });
            }
        }
        return operations;
    }

    /** Calls {@code each} with {@code METHOD /path} and the method, for every resource method of the admin API. */
    private static void adminResourceMethods(BiConsumer<String, Method> each) {
        String base = "/" + trim(io.keygate.server.admin.AdminApplication.class.getAnnotation(ApplicationPath.class)
                .value());
        for (Class<?> type : classesOf(ADMIN_PACKAGE)) {
            Path root = type.getAnnotation(Path.class);
            if (root == null) {
                continue;
            }
            for (Method method : type.getDeclaredMethods()) {
                String verb = httpMethod(method);
                if (verb != null) {
                    Path sub = method.getAnnotation(Path.class);
                    each.accept(verb + " " + base + "/" + trim(root.value())
                            + (sub == null ? "" : "/" + trim(sub.value())), method);
                }
            }
        }
    }

    private static String httpMethod(Method method) {
        for (Annotation annotation : method.getAnnotations()) {
            HttpMethod verb = annotation.annotationType().getAnnotation(HttpMethod.class);
            if (verb != null) {
                return verb.value();
            }
        }
        return null;
    }

    private static String trim(String path) {
        return path.replaceAll("^/+|/+$", "");
    }

    /** The top-level production classes of {@code packageName} (not the tests beside them). */
    private static List<Class<?>> classesOf(String packageName) {
        try {
            java.nio.file.Path folder = Paths.get(OpenApiServlet.class.getProtectionDomain().getCodeSource()
                    .getLocation().toURI()).resolve(packageName.replace('.', '/'));
            try (Stream<java.nio.file.Path> files = Files.list(folder)) {
                List<Class<?>> classes = new ArrayList<>();
                for (String file : files.map(f -> f.getFileName().toString())
                        .filter(f -> f.endsWith(".class") && !f.contains("$")).sorted().toList()) {
                    classes.add(Class.forName(packageName + "." + file.substring(0, file.length() - 6)));
                }
                assertFalse(classes.isEmpty(), packageName);
                return classes;
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (URISyntaxException | ClassNotFoundException e) {
            throw new IllegalStateException(e);
        }
    }

    /** {@code value} with its {@code $ref}, if any, followed inside the document. */
    private static JsonObject resolve(JsonObject value) {
        JsonObject current = value;
        while (current.containsKey("$ref")) {
            JsonValue target = lookUp(current.getString("$ref"));
            assertNotNull(target, current.getString("$ref"));
            current = target.asJsonObject();
        }
        return current;
    }

    private static JsonValue lookUp(String ref) {
        if (!ref.startsWith("#/")) {
            return null;
        }
        JsonValue current = document;
        for (String part : ref.substring(2).split("/")) {
            if (!(current instanceof JsonObject object) || !object.containsKey(part)) {
                return null;
            }
            current = object.get(part);
        }
        return current;
    }

    private static void references(JsonValue value, List<String> unresolved) {
        if (value instanceof JsonObject object) {
            if (object.get("$ref") instanceof JsonString ref && lookUp(ref.getString()) == null) {
                unresolved.add(ref.getString());
            }
            object.values().forEach(v -> references(v, unresolved));
        } else if (value instanceof JsonStructure structure && value.getValueType() == JsonValue.ValueType.ARRAY) {
            structure.asJsonArray().forEach(v -> references(v, unresolved));
        }
    }
}
