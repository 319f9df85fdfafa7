package io.keygate.server.admin;

import jakarta.ws.rs.core.Response.Status;

/**
 * A client error the admin API answers as RFC 9457 {@code application/problem+json}: the status, a short
 * title, and a detail that says what exactly is wrong. The detail never echoes a token.
 */
public class ApiProblem extends RuntimeException {

    private final Status status;

    public ApiProblem(Status status, String detail) {
        super(detail, null, false, false);
        this.status = status;
    }

    public static ApiProblem badRequest(String detail) {
        return new ApiProblem(Status.BAD_REQUEST, detail);
    }

    public static ApiProblem notFound(String detail) {
        return new ApiProblem(Status.NOT_FOUND, detail);
    }

    public static ApiProblem forbidden(String detail) {
        return new ApiProblem(Status.FORBIDDEN, detail);
    }

    public static ApiProblem conflict(String detail) {
        return new ApiProblem(Status.CONFLICT, detail);
    }

    public Status status() {
        return status;
    }
}
