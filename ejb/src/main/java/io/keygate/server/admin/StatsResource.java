package io.keygate.server.admin;

import io.keygate.server.stats.StoreStatements;
import io.keygate.server.verify.VerifierFunctions;
import jakarta.enterprise.context.RequestScoped;
import jakarta.inject.Inject;
import jakarta.json.Json;
import jakarta.json.JsonObjectBuilder;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.SecurityContext;

/**
 * {@code GET /stats}, for global admins: what the verifier and the store have done since {@code keygate.war}
 * started, so that an operator (or a test) can see that requests with cached tokens cost nothing here.
 *
 * <pre>
 * {"storeStatements": 1204, "storeQueries": 1101, "verifyCalls": 57}
 * </pre>
 *
 * {@code storeStatements} counts every SQL statement (reads, the usage writes every 2 seconds, DDL at start-up),
 * {@code storeQueries} those that return rows, {@code verifyCalls} the filters' calls of the verifier's
 * {@code verify}. The store counts are {@code null} when the persistence provider is not EclipseLink. The
 * request for this resource costs a store query itself: its admin token is checked in the store.
 */
@Path("stats")
@RequestScoped
@Produces(MediaType.APPLICATION_JSON)
public class StatsResource {

    @Inject
    private VerifierFunctions functions;

    @Context
    private SecurityContext security;

    @GET
    public Response get() {
        AdminCaller.of(security).requireGlobal("Only a global admin token can read the statistics");
        JsonObjectBuilder stats = Json.createObjectBuilder();
        if (StoreStatements.installed()) {
            stats.add("storeStatements", StoreStatements.statements()).add("storeQueries", StoreStatements.queries());
        } else {
            stats.addNull("storeStatements").addNull("storeQueries");
        }
        stats.add("verifyCalls", functions.verifyCalls());
        return Response.ok(stats.build().toString()).header("Cache-Control", "no-store").build();
    }
}
