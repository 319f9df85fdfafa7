package io.keygate.bench.http;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

/**
 * {@code GET /api/hello}: the endpoint under benchmark, a fixed small JSON body. The same code answers in all three
 * WARs; only what surrounds it differs (nothing, {@code keygate-filter.jar}, or MP-JWT), so the measured difference
 * is the cost of the protection.
 *
 * <p>A JAX-RS resource rather than a servlet because that is the only thing MP-JWT protects properly on Payara
 * Micro: a servlet security constraint with MP-JWT lets no request without a token through, but answers it
 * {@code 200} with an empty body instead of {@code 401} (see docs/performance.md).
 */
@Path("/hello")
public class HelloResource {

    private static final String BODY = "{\"hello\":\"world\"}";

    @GET
    @Produces(MediaType.APPLICATION_JSON)
    public String hello() {
        return BODY;
    }
}
