package io.keygate.server.verify;

import io.keygate.bearer.BearerError;
import io.keygate.bearer.BearerErrors;
import io.keygate.protocol.ProtocolJson;
import io.keygate.protocol.Subscription;
import io.keygate.protocol.VerifierProtocol;
import io.keygate.server.access.BearerCaller;
import io.keygate.server.http.ErrorWriter;
import io.keygate.server.store.StoreUnavailableException;
import io.keygate.token.Scopes;
import jakarta.inject.Inject;
import jakarta.json.Json;
import jakarta.json.JsonException;
import jakarta.json.JsonObject;
import jakarta.json.JsonReader;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;
import jakarta.servlet.annotation.WebServlet;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.List;
import java.util.Optional;

/**
 * {@code POST /keygate/verifier}: the HTTP binding of {@link VerifierProtocol}, for filters in remote mode on
 * servers without {@code keygate.war}. The same functions as the EJB ({@link VerifierFunctions}), with
 * {@code subscribe} answering the generation's value and the change log's {@link ChangeLog#id()} instead of the
 * shared object, and {@code limits} and {@code metrics} refused ({@code 400}) since they are shared objects too.
 *
 * <p>The caller authenticates like an introspection caller ({@link BearerCaller}) and must hold a global token:
 * a filter's verdicts, changes, usage and failure reports cover every tenant, which a tenant's token must not see
 * or touch. {@code introspect} reads ({@code verify}, {@code subscribe}, {@code changesSince}); the functions that
 * write ({@code recordUsage}, {@code recordFailures}) need {@code report}; {@code admin} may do both. A refused
 * call still counts as a use of the caller's token. Answers: {@code 200 {"answer": ...}}; {@code 400} (RFC 9457 problem) for a body or
 * function outside the protocol; {@code 503} with {@code Retry-After} while the store or the verifier cannot
 * answer, which the filter turns into 503 for its request, never 401.
 */
@WebServlet(VerifierProtocol.HTTP_PATH)
public class VerifierServlet extends HttpServlet {

    private static final long serialVersionUID = 1L;

    /** Large enough for a usage report of some ten thousand tokens, or a full failure report. */
    static final int MAX_BODY_BYTES = 4 * 1024 * 1024;

    private static final BearerError GLOBAL_TOKEN_REQUIRED = new BearerError(403, "insufficient_scope",
            "The verifier binding needs a global token with the introspect scope (and report to hand over usage"
                    + " and failures); tenant tokens may use /oauth2/introspect", Scopes.INTROSPECT,
            BearerError.Challenge.WITH_ERROR);

    @Inject
    private BearerCaller callers;

    @Inject
    private ChangeLog changes;

    @Inject
    private VerifierFunctions functions;

    @Override
    protected void doPost(HttpServletRequest request, HttpServletResponse response) throws IOException {
        try {
            Optional<BearerCaller.Admitted> admitted = callers.admit(request, response,
                    List.of(Scopes.INTROSPECT, Scopes.REPORT, Scopes.ADMIN));
            if (admitted.isEmpty()) {
                return;
            }
            BearerCaller.Admitted caller = admitted.get();
            if (caller.token().getTenantSlug() != null) {
                ErrorWriter.bearer(response, GLOBAL_TOKEN_REQUIRED, caller.headers());
                return;
            }
            caller.headers().forEach(response::setHeader);
            JsonObject call = readCall(request);
            if (call == null) {
                ErrorWriter.problem(response, 400, "The body must be a JSON object {\"function\": name, \"arguments\": [...]}"
                        + " of at most " + MAX_BODY_BYTES + " bytes");
                return;
            }
            String scope = scopeOf(call);
            if (!caller.has(scope) && !caller.has(Scopes.ADMIN)) {
                ErrorWriter.bearer(response, BearerErrors.insufficientScope(scope), caller.headers());
                return;
            }
            ErrorWriter.answer(response,
                    Json.createObjectBuilder().add(VerifierProtocol.ANSWER, ProtocolJson.toJson(invoke(call))).build());
        } catch (NoSuchMethodException | IllegalArgumentException | ClassCastException e) {
            ErrorWriter.problem(response, 400, "Not a function of the Keygate verifier protocol, or arguments of the wrong types");
        } catch (StoreUnavailableException | IllegalStateException e) {
            ErrorWriter.problem(response, 503, "The Keygate verifier cannot answer now; retry later");
        }
    }

    /**
     * The scope a call needs: {@code report} for the functions that write ({@code recordUsage},
     * {@code recordFailures}: counts and audit events that anyone with a read credential could otherwise forge),
     * {@code introspect} for everything else, which only reads.
     */
    static String scopeOf(JsonObject call) {
        return call.get(VerifierProtocol.FUNCTION) instanceof JsonString name
                && VerifierProtocol.WRITING_FUNCTIONS.contains(name.getString()) ? Scopes.REPORT : Scopes.INTROSPECT;
    }

    private Object invoke(JsonObject call) throws NoSuchMethodException {
        if (!(call.get(VerifierProtocol.FUNCTION) instanceof JsonString name)) {
            throw new NoSuchMethodException("no function name");
        }
        String function = name.getString();
        List<?> arguments = (List<?>) ProtocolJson.fromJson(
                call.getOrDefault(VerifierProtocol.ARGUMENTS, JsonValue.EMPTY_JSON_ARRAY).asJsonArray());
        long generation = changes.generation().get();
        if (generation < 0) {
            throw new IllegalStateException("keygate.war is stopping");
        }
        if (VerifierProtocol.LIMITS.equals(function) || VerifierProtocol.METRICS.equals(function)) {
            // The count board and the metrics' counts are shared objects: nothing of them can cross a network.
            throw new NoSuchMethodException(function + "() is in process only");
        }
        if (VerifierProtocol.SUBSCRIBE.equals(function) && arguments.isEmpty()) {
            return new Subscription(generation, changes.id()).toWire();
        }
        return functions.invoke(function, arguments.toArray());
    }

    /** The call object, or {@code null} when the body is not one (or too long). */
    private static JsonObject readCall(HttpServletRequest request) throws IOException {
        if (request.getContentLengthLong() > MAX_BODY_BYTES) {
            return null;
        }
        byte[] body;
        try (InputStream in = request.getInputStream()) {
            body = in.readNBytes(MAX_BODY_BYTES + 1);
        }
        if (body.length > MAX_BODY_BYTES) {
            return null;
        }
        try (JsonReader reader = Json.createReader(new ByteArrayInputStream(body))) {
            return reader.readObject();
        } catch (JsonException e) {
            return null;
        }
    }
}
