package io.keygate.server.admin;

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
 * The one place that turns a failure into a status. Client mistakes keep their message; a store fault is 503
 * with {@code Retry-After}; anything unexpected is a 500 whose body says nothing of the internals (the log has
 * the stack trace, and no message in Keygate ever carries a token).
 */
@Provider
public class ProblemMapper implements ExceptionMapper<Throwable> {

    /** Seconds a client should wait before retrying while the store is unavailable. */
    static final String RETRY_AFTER_SECONDS = "5";

    private static final Logger LOG = Logger.getLogger(ProblemMapper.class.getName());

    @Override
    public Response toResponse(Throwable failure) {
        if (failure instanceof ApiProblem problem) {
            return Problems.response(problem.status().getStatusCode(), problem.getMessage()).build();
        }
        if (failure instanceof LifetimePolicyException policy) {
            return Problems.response(400, policy.getMessage()).build();
        }
        if (failure instanceof ConflictException conflict) {
            return Problems.response(409, conflict.getMessage()).build();
        }
        if (failure instanceof StoreUnavailableException unavailable) {
            // An outage is logged by the store, once; anything else is worth a stack trace.
            LOG.log(unavailable.isConnectionLost() ? Level.FINE : Level.WARNING, "Token store unavailable",
                    unavailable);
            return Problems.response(503, "The token store is unavailable; retry later")
                    .header("Retry-After", RETRY_AFTER_SECONDS).build();
        }
        if (failure instanceof IllegalCharsetNameException || failure instanceof UnsupportedCharsetException) {
            // Thrown by the runtime while it decodes the body with the Content-Type's charset, before any resource.
            return Problems.response(415, "The charset of the Content-Type is not supported; send UTF-8").build();
        }
        if (failure instanceof WebApplicationException web && web.getResponse().getStatus() < 500) {
            int status = web.getResponse().getStatus();
            return Problems.response(status, describe(status)).build();
        }
        LOG.log(Level.SEVERE, "Unexpected failure in the admin API", failure);
        return Problems.response(500, "Internal error; the server log has the details").build();
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
