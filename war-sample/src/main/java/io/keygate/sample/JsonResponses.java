package io.keygate.sample;

import jakarta.json.Json;
import jakarta.json.JsonValue;
import jakarta.json.JsonWriter;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;

/** Writes JSON answers, so the servlets only decide what to say. */
final class JsonResponses {

    private JsonResponses() {
    }

    static void write(HttpServletResponse response, int status, JsonValue body) throws IOException {
        response.setStatus(status);
        response.setContentType("application/json");
        response.setCharacterEncoding("UTF-8");
        try (JsonWriter writer = Json.createWriter(response.getWriter())) {
            writer.write(body);
        }
    }

    static void error(HttpServletResponse response, int status, String error, String description) throws IOException {
        write(response, status, Json.createObjectBuilder()
                .add("error", error)
                .add("error_description", description)
                .build());
    }
}
