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
        return response(status, detail, null);
    }

    /**
     * With the extension member {@code error} (section 3.2): the code a protected WAR's filter answers for the same
     * refusal ({@code invalid_token}, {@code address_not_allowed}, {@code rate_limit_exceeded}), or none when
     * {@code null}.
     */
    static Response.ResponseBuilder response(int status, String detail, String error) {
        JsonObjectBuilder body = Json.createObjectBuilder()
                .add("type", "about:blank")
                .add("title", Response.Status.fromStatusCode(status) != null
                        ? Response.Status.fromStatusCode(status).getReasonPhrase() : "Error")
                .add("status", status)
                .add("detail", detail);
        if (error != null) {
            body.add("error", error);
        }
        return Response.status(status).type(MEDIA_TYPE).header("Cache-Control", "no-store")
                .entity(body.build().toString());
    }
}
