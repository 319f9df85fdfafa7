package io.keygate.server.admin;

import jakarta.json.Json;
import jakarta.json.JsonObjectBuilder;
import jakarta.ws.rs.core.Response;

/**
 * Builds RFC 9457 problem details responses: {@code type}, {@code title}, {@code status}, {@code detail}
 * (section 3.1), with {@code Cache-Control: no-store} since they answer authenticated requests.
 */
final class Problems {

    static final String MEDIA_TYPE = "application/problem+json";

    private Problems() {
    }

    static Response.ResponseBuilder response(int status, String detail) {
        JsonObjectBuilder body = Json.createObjectBuilder()
                .add("type", "about:blank")
                .add("title", Response.Status.fromStatusCode(status) != null
                        ? Response.Status.fromStatusCode(status).getReasonPhrase() : "Error")
                .add("status", status)
                .add("detail", detail);
        return Response.status(status).type(MEDIA_TYPE).header("Cache-Control", "no-store")
                .entity(body.build().toString());
    }
}
