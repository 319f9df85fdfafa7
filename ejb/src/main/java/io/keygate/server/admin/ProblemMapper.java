package io.keygate.server.admin;

import io.keygate.server.http.ErrorWriter;
import io.keygate.server.store.ConflictException;
import io.keygate.server.store.LifetimePolicyException;
import io.keygate.server.store.StoreUnavailableException;
import jakarta.json.JsonException;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.ext.ExceptionMapper;
import jakarta.ws.rs.ext.Provider;
import java.io.UnsupportedEncodingException;
import java.nio.charset.IllegalCharsetNameException;
import java.nio.charset.UnsupportedCharsetException;
import java.util.logging.Level;
import java.util.regex.Pattern;
import java.util.logging.Logger;

/**
 * The one place that turns a failure of the admin API into a status; {@link ErrorWriter} writes the answer. Client
 * mistakes keep their message; a body the runtime cannot read (its charset, its JSON) is the client's too, however
 * the runtime wraps it; a store fault is 503
 * with {@code Retry-After}; anything unexpected is a 500 whose body says nothing of the internals (the log has
 * the stack trace, and no message in Keygate ever carries a token).
 */
@Provider
public class ProblemMapper implements ExceptionMapper<Throwable> {

    private static final Logger LOG = Logger.getLogger(ProblemMapper.class.getName());
    /** How deep {@link #causedBy} looks: runtimes wrap a reader's failure once or twice, never this often. */
    private static final int MAX_CAUSES = 8;
    /** The parser classes of the JSON-P implementations (Parsson, GlassFish JSON-P, Johnzon). */
    private static final Pattern JSON_PARSER = Pattern.compile(
            "(org\\.eclipse\\.parsson|org\\.glassfish\\.json|org\\.apache\\.johnzon\\.core)\\..*Parser.*");

    @Override
    public Response toResponse(Throwable failure) {
        Problem problem = problemOf(failure);
        return ErrorWriter.problem(problem.status(), problem.detail(), null).build();
    }

    /** A status and the words that say it: what {@link #toResponse} answers. */
    record Problem(int status, String detail) {
    }

    /** The answer to {@code failure}, logged when it is not the client's doing. */
    static Problem problemOf(Throwable failure) {
        if (failure instanceof ApiProblem problem) {
            return new Problem(problem.status().getStatusCode(), problem.getMessage());
        }
        if (failure instanceof LifetimePolicyException policy) {
            return new Problem(400, policy.getMessage());
        }
        if (failure instanceof ConflictException conflict) {
            return new Problem(409, conflict.getMessage());
        }
        if (failure instanceof StoreUnavailableException unavailable) {
            // An outage is logged by the store, once; anything else is worth a stack trace.
            LOG.log(unavailable.isConnectionLost() ? Level.FINE : Level.WARNING, "Token store unavailable",
                    unavailable);
            return new Problem(503, "The token store is unavailable; retry later");
        }
        if (causedBy(failure, IllegalCharsetNameException.class, UnsupportedCharsetException.class,
                UnsupportedEncodingException.class)) {
            // Thrown by the runtime while it decodes the body with the Content-Type's charset, before any resource
            // (Jersey throws the first two, RESTEasy the third, wrapped in a runtime exception of its own).
            return new Problem(415, "The charset of the Content-Type is not supported; send UTF-8");
        }
        if (causedBy(failure, JsonException.class) || raisedByJsonParser(failure)) {
            // The runtime's JSON-P reader met a body that is not the JSON it reads (RESTEasy wraps it), or hit one of
            // its own limits, which Parsson reports outside JsonException (nesting deeper than 1000: RuntimeException).
            return new Problem(400, "The body is not valid JSON");
        }
        if (failure instanceof WebApplicationException web && web.getResponse().getStatus() < 500) {
            int status = web.getResponse().getStatus();
            return new Problem(status, describe(status));
        }
        LOG.log(Level.SEVERE, "Unexpected failure in the admin API", failure);
        return new Problem(500, "Internal error; the server log has the details");
    }

    /** Whether {@code failure} or one of its causes was thrown by a JSON-P parser, whatever its type. */
    private static boolean raisedByJsonParser(Throwable failure) {
        int depth = 0;
        for (Throwable t = failure; t != null && depth < MAX_CAUSES; t = t.getCause(), depth++) {
            StackTraceElement[] frames = t.getStackTrace();
            if (frames.length > 0 && JSON_PARSER.matcher(frames[0].getClassName()).matches()) {
                return true;
            }
        }
        return false;
    }

    /** Whether {@code failure} or one of its causes is one of {@code types}. */
    @SafeVarargs
    private static boolean causedBy(Throwable failure, Class<? extends Throwable>... types) {
        int depth = 0;
        for (Throwable t = failure; t != null && depth < MAX_CAUSES; t = t.getCause(), depth++) {
            for (Class<? extends Throwable> type : types) {
                if (type.isInstance(t)) {
                    return true;
                }
            }
        }
        return false;
    }

    private static String describe(int status) {
        return switch (status) {
            case 404 -> "There is no such resource in the admin API";
            case 405 -> "This method is not allowed on this resource";
            case 406 -> "The admin API answers application/json only";
            case 415 -> "The admin API accepts application/json bodies only";
            default -> "The request was not accepted";
        };
    }
}
