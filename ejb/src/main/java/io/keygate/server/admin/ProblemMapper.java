package io.keygate.server.admin;

import io.keygate.server.http.ErrorWriter;
import io.keygate.server.store.ConflictException;
import io.keygate.server.store.LifetimePolicyException;
import io.keygate.server.store.StoreUnavailableException;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.ext.ExceptionMapper;
import jakarta.ws.rs.ext.Provider;
import java.nio.charset.IllegalCharsetNameException;
import java.nio.charset.UnsupportedCharsetException;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The one place that turns a failure of the admin API into a status; {@link ErrorWriter} writes the answer. Client mistakes keep their message; a store fault is 503
 * with {@code Retry-After}; anything unexpected is a 500 whose body says nothing of the internals (the log has
 * the stack trace, and no message in Keygate ever carries a token).
 */
@Provider
public class ProblemMapper implements ExceptionMapper<Throwable> {

    private static final Logger LOG = Logger.getLogger(ProblemMapper.class.getName());

    @Override
    public Response toResponse(Throwable failure) {
        if (failure instanceof ApiProblem problem) {
            return ErrorWriter.problem(problem.status().getStatusCode(), problem.getMessage(), null).build();
        }
        if (failure instanceof LifetimePolicyException policy) {
            return ErrorWriter.problem(400, policy.getMessage(), null).build();
        }
        if (failure instanceof ConflictException conflict) {
            return ErrorWriter.problem(409, conflict.getMessage(), null).build();
        }
        if (failure instanceof StoreUnavailableException unavailable) {
            // An outage is logged by the store, once; anything else is worth a stack trace.
            LOG.log(unavailable.isConnectionLost() ? Level.FINE : Level.WARNING, "Token store unavailable",
                    unavailable);
            return ErrorWriter.problem(503, "The token store is unavailable; retry later", null).build();
        }
        if (failure instanceof IllegalCharsetNameException || failure instanceof UnsupportedCharsetException) {
            // Thrown by the runtime while it decodes the body with the Content-Type's charset, before any resource.
            return ErrorWriter.problem(415, "The charset of the Content-Type is not supported; send UTF-8", null).build();
        }
        if (failure instanceof WebApplicationException web && web.getResponse().getStatus() < 500) {
            int status = web.getResponse().getStatus();
            return ErrorWriter.problem(status, describe(status), null).build();
        }
        LOG.log(Level.SEVERE, "Unexpected failure in the admin API", failure);
        return ErrorWriter.problem(500, "Internal error; the server log has the details", null).build();
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
