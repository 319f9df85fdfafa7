package io.keygate.filter.remote;

import io.keygate.filter.remote.VerifierOverHttp.Failure;
import io.keygate.protocol.ProtocolJson;
import io.keygate.protocol.VerifierProtocol;
import jakarta.json.Json;
import jakarta.json.JsonObject;
import jakarta.json.JsonReader;
import jakarta.json.JsonValue;
import java.io.IOException;
import java.io.StringReader;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Arrays;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.logging.Logger;

/**
 * One call of the protocol's HTTP binding ({@link VerifierProtocol#HTTP_PATH}): the JSON body, the credential in the
 * {@code Authorization} header only, and what the status means. {@link VerifierOverHttp} decides what to call and
 * what a refusal means for the filter. Redirects are not followed: the credential goes to the configured URL only.
 */
final class HttpCalls {

    /** {@link VerifierOverHttp}'s logger: one logger for all that remote mode says. */
    private static final Logger LOG = Logger.getLogger(VerifierOverHttp.class.getName());

    private final RemoteSettings settings;
    private final HttpClient http;
    private final AtomicBoolean warnedRefused = new AtomicBoolean();

    HttpCalls(RemoteSettings settings) {
        this.settings = settings;
        this.http = HttpClient.newBuilder()
                .connectTimeout(Duration.ofMillis(settings.timeoutMillis()))
                .followRedirects(HttpClient.Redirect.NEVER)
                .build();
    }

    /** The answer of {@code function}; a {@link Failure} naming the URL and the status, never a hash. */
    Object call(String function, Object... args) throws Failure {
        JsonObject body = Json.createObjectBuilder()
                .add(VerifierProtocol.FUNCTION, function)
                .add(VerifierProtocol.ARGUMENTS, ProtocolJson.toJson(Arrays.asList(args)))
                .build();
        HttpRequest request = HttpRequest.newBuilder(settings.verifierUri())
                .timeout(Duration.ofMillis(settings.timeoutMillis()))
                .header("Authorization", "Bearer " + settings.credential())
                .header("Content-Type", "application/json")
                .header("Accept", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body.toString()))
                .build();
        HttpResponse<String> response;
        try {
            response = http.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new Failure("Keygate verifier at " + settings.baseUrl() + " did not answer " + function + ": "
                    + e.getClass().getSimpleName());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new Failure("interrupted while calling the Keygate verifier at " + settings.baseUrl());
        }
        if (response.statusCode() != 200) {
            throw refused(function, response.statusCode(), response.headers().allValues("WWW-Authenticate").stream()
                    .anyMatch(challenge -> challenge.contains("error=\"insufficient_scope\"")));
        }
        warnedRefused.set(false);
        try (JsonReader reader = Json.createReader(new StringReader(response.body()))) {
            JsonObject answer = reader.readObject();
            return ProtocolJson.fromJson(answer.getOrDefault(VerifierProtocol.ANSWER, JsonValue.NULL));
        } catch (RuntimeException e) {
            throw new Failure("Keygate verifier at " + settings.baseUrl() + " answered " + function
                    + " with something other than the protocol's JSON");
        }
    }

    private Failure refused(String function, int status, boolean insufficientScope) {
        boolean report = VerifierProtocol.WRITING_FUNCTIONS.contains(function);
        if ((status == 401 || status == 403) && !(report && insufficientScope)
                && warnedRefused.compareAndSet(false, true)) {
            LOG.warning("Keygate verifier at " + settings.baseUrl() + " refused the credential (HTTP " + status
                    + "); check " + RemoteSettings.TOKEN + ": it must be a global token with the scopes introspect"
                    + " and report");
        }
        return new Failure("Keygate verifier at " + settings.baseUrl() + " answered " + function + " with HTTP "
                + status, status, insufficientScope);
    }
}
