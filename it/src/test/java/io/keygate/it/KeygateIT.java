package io.keygate.it;

import jakarta.json.Json;
import jakarta.json.JsonArray;
import jakarta.json.JsonObject;
import jakarta.json.JsonReader;
import jakarta.json.JsonStructure;
import java.io.File;
import java.io.StringReader;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Locale;
import org.jboss.shrinkwrap.api.ShrinkWrap;
import org.jboss.shrinkwrap.api.importer.ZipImporter;
import org.jboss.shrinkwrap.api.spec.WebArchive;

/**
 * What the black-box integration tests share: the server's root, real HTTP with {@link HttpClient}, the admin
 * client and the assertions on answers. Where the server comes from is the subclass's business: {@link EveryServerIT}
 * (one server per run, whichever the execution names) or {@link OwnMicroIT} (a Payara Micro per class, started by
 * Arquillian with the class's own deployment).
 *
 * <p>Requests are sent to {@code localhost}, not to the address the server advertises: the filter requires HTTPS
 * except from loopback clients, and these tests are about tokens, not transport (see {@code SampleProtectionIT} for
 * the HTTPS rule).
 *
 * <p>Configured by failsafe system properties: {@code keygate.it.sample-war}, {@code keygate.it.filter-jar} and
 * {@code keygate.it.admin-token} (the server's {@code KEYGATE_ADMIN_TOKEN}).
 */
abstract class KeygateIT {

    static final String ADMIN_TOKEN = requiredProperty("keygate.it.admin-token");
    static final SecureRandom RANDOM = new SecureRandom();
    static final HttpClient HTTP = HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .followRedirects(HttpClient.Redirect.NEVER)
            .connectTimeout(Duration.ofSeconds(10))
            .build();

    /** Where requests to {@code localhost} come from, when set: see {@link #clientOfTheClass}. */
    private static volatile String classClient;

    /** {@code http://localhost:<port>/}, the root of the server under test, set before each test. */
    URI server;

    /** {@code http://localhost:<port>/}. */
    static URI localhost(int port) {
        try {
            return new URI("http", null, "localhost", port, "/", null, null);
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The sample application as built by war-sample, deployed at {@code /sample}. */
    static WebArchive sampleWar() {
        return sampleWar("sample.war");
    }

    /** The sample application as built by war-sample, under another file name (and so another context root). */
    static WebArchive sampleWar(String fileName) {
        return ShrinkWrap.create(ZipImporter.class, fileName)
                .importFrom(new File(requiredProperty("keygate.it.sample-war")))
                .as(WebArchive.class);
    }

    URI sample(String path) {
        return server.resolve("/sample" + path);
    }

    AdminClient admin() {
        return new AdminClient(server.resolve("/keygate/api/v1/"), ADMIN_TOKEN);
    }

    /** A slug no earlier run has used: the keygate database outlives a test run. */
    static String uniqueSlug(String purpose) {
        return ("it-" + purpose + "-" + Long.toString(System.nanoTime(), 36)
                + Integer.toString(RANDOM.nextInt(36 * 36 * 36), 36)).toLowerCase(Locale.ROOT);
    }

    static HttpRequest.Builder request(URI uri) {
        return HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(30));
    }

    /**
     * Sends {@code request}; one to {@code localhost} that names no client of its own comes from the test class's
     * client ({@link #clientOfTheClass}).
     */
    static HttpResponse<String> send(HttpRequest request) {
        try {
            return HTTP.send(fromTheClassClient(request), HttpResponse.BodyHandlers.ofString());
        } catch (java.io.IOException e) {
            throw new UncheckedIOException(request.method() + " " + request.uri(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /**
     * Makes the requests to {@code localhost} that name no client of their own ({@code X-Forwarded-For}) come from
     * {@code address}, as a remote client whose TLS ended at the trusted proxy on loopback; {@code null} sends them
     * as they are. A request to {@code 127.0.0.1} is always sent as it is: a loopback client.
     */
    static void clientOfTheClass(String address) {
        classClient = address;
    }

    /** The address {@link #clientOfTheClass} set, or {@code null}. */
    static String classClient() {
        return classClient;
    }

    private static HttpRequest fromTheClassClient(HttpRequest request) {
        String client = classClient;
        if (client == null || !"localhost".equals(request.uri().getHost())
                || request.headers().firstValue("X-Forwarded-For").isPresent()) {
            return request;
        }
        return HttpRequest.newBuilder(request, (name, value) -> true)
                .header("X-Forwarded-For", client)
                .header("X-Forwarded-Proto", "https")
                .build();
    }

    static HttpResponse<String> get(URI uri, String... headers) {
        HttpRequest.Builder builder = request(uri).GET();
        return send(headers.length == 0 ? builder.build() : builder.headers(headers).build());
    }

    static HttpResponse<String> getWithToken(URI uri, String token) {
        return get(uri, "Authorization", "Bearer " + token);
    }

    static HttpResponse<String> postJson(URI uri, String token, String json) {
        return send(request(uri)
                .header("Authorization", "Bearer " + token)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json))
                .build());
    }

    static JsonObject object(HttpResponse<String> response) {
        return (JsonObject) parse(response);
    }

    static JsonArray array(HttpResponse<String> response) {
        return (JsonArray) parse(response);
    }

    static JsonStructure parse(HttpResponse<String> response) {
        try (JsonReader reader = Json.createReader(new StringReader(response.body()))) {
            return reader.read();
        } catch (RuntimeException e) {
            throw new AssertionError("not JSON (" + response.statusCode() + "): " + response.body(), e);
        }
    }

    static String header(HttpResponse<?> response, String name) {
        return response.headers().firstValue(name).orElse(null);
    }

    /** A token in Keygate's format that no store has ever issued. */
    static String wellFormedUnknownToken() {
        return io.keygate.token.TokenFormat.generate(RANDOM);
    }

    /** {@code token} with its last checksum character changed, so the checksum no longer matches. */
    static String withBadChecksum(String token) {
        char last = token.charAt(token.length() - 1);
        return token.substring(0, token.length() - 1) + (last == 'a' ? 'b' : 'a');
    }

    /** Waits between two polls of something that becomes true within a bound. */
    static void pauseBetweenPolls() {
        try {
            Thread.sleep(200);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted", e);
        }
    }

    static String requiredProperty(String name) {
        String value = System.getProperty(name);
        if (value == null || value.isBlank()) {
            throw new IllegalStateException("System property " + name + " is not set (failsafe configuration)");
        }
        return value;
    }
}
