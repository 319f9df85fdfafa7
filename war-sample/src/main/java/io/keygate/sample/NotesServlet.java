package io.keygate.sample;

import jakarta.json.Json;
import jakarta.json.JsonException;
import jakarta.json.JsonReader;
import jakarta.json.JsonValue;
import jakarta.servlet.annotation.WebServlet;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;

/**
 * {@code POST /api/notes}: answers {@code 201} with the JSON document it was sent, or {@code 400} when the body is
 * not JSON. Being a {@code POST}, it needs the {@code write} scope under Keygate's default rule.
 */
@WebServlet("/api/notes")
public class NotesServlet extends HttpServlet {

    @Override
    protected void doPost(HttpServletRequest request, HttpServletResponse response) throws IOException {
        JsonValue note;
        // From the byte stream: JSON-P detects the UTF encoding (RFC 8259), the reader would default to ISO-8859-1.
        try (JsonReader reader = Json.createReader(request.getInputStream())) {
            note = reader.readValue();
        } catch (JsonException e) {
            JsonResponses.error(response, HttpServletResponse.SC_BAD_REQUEST,
                    "invalid_json", "The request body must be a JSON document");
            return;
        }
        JsonResponses.write(response, HttpServletResponse.SC_CREATED, note);
    }
}
