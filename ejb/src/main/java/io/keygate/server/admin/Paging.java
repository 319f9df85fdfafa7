package io.keygate.server.admin;

import io.keygate.server.store.Cursor;
import io.keygate.server.store.Page;
import jakarta.json.Json;
import jakarta.json.JsonArrayBuilder;
import jakarta.json.JsonObjectBuilder;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriBuilder;
import jakarta.ws.rs.core.UriInfo;
import java.util.function.Function;
import java.util.stream.Stream;

/**
 * The {@code ?limit=} and {@code ?cursor=} of every listing, and the {@code Link: <...>; rel="next"} header
 * (RFC 8288) that points at the next page.
 */
final class Paging {

    static final int DEFAULT_LIMIT = 100;
    static final int MAX_LIMIT = 1000;

    private Paging() {
    }

    static int limit(String limit) {
        if (limit == null) {
            return DEFAULT_LIMIT;
        }
        try {
            int value = Integer.parseInt(limit);
            if (value >= 1 && value <= MAX_LIMIT) {
                return value;
            }
        } catch (NumberFormatException e) {
            // Falls through to the same answer as an out-of-range number.
        }
        throw ApiProblem.badRequest("'limit' must be an integer from 1 to " + MAX_LIMIT);
    }

    static Cursor cursor(String cursor) {
        if (cursor == null) {
            return null;
        }
        return Cursor.decode(cursor).orElseThrow(() -> ApiProblem.badRequest("'cursor' is not one this server"
                + " issued; use the URL of a Link rel=\"next\" header"));
    }

    /**
     * A 200 with the page as a bare JSON array and, unless it is the last, a link to the next one. The link keeps
     * {@code limit} and the listing's {@code filters} (query parameters it has validated), so the next page goes on
     * within the same filter.
     */
    static <T> Response response(Page<T> page, Function<T, JsonObjectBuilder> json, UriInfo uri, String... filters) {
        JsonArrayBuilder array = Json.createArrayBuilder();
        page.items().forEach(item -> array.add(json.apply(item)));
        Response.ResponseBuilder response = Response.ok(array.build().toString(), "application/json");
        if (page.next() != null) {
            // Only the parameters a listing reads: anything else in the request's query (a token pasted there by
            // mistake included) is not reflected in the answer.
            UriBuilder next = uri.getAbsolutePathBuilder();
            for (String name : Stream.concat(Stream.of("limit"), Stream.of(filters)).toList()) {
                String value = uri.getQueryParameters().getFirst(name);
                if (value != null) {
                    next.queryParam(name, value);
                }
            }
            next.queryParam("cursor", page.next().encode());
            response.header("Link", "<" + next.build() + ">; rel=\"next\"");
        }
        return response.header("Cache-Control", "no-store").build();
    }
}
