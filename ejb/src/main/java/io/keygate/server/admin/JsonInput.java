package io.keygate.server.admin;

import jakarta.json.Json;
import jakarta.json.JsonException;
import jakarta.json.JsonObject;
import jakarta.json.JsonReader;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;
import jakarta.json.stream.JsonParsingException;
import java.io.StringReader;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * A request body read as a JSON object, with typed accessors whose errors say which field is wrong and why.
 * Unknown fields are refused (as Stripe does), so a typo such as {@code "expires_at"} is not silently ignored.
 */
final class JsonInput {

    /** Bodies larger than this are refused before parsing. */
    static final int MAX_BODY_CHARS = 64 * 1024;
    /** The longest piece of client input a message quotes; tokens are longer (39, admin tokens 32 and up). */
    static final int MAX_EXCERPT = 15;

    private final JsonObject object;

    private JsonInput(JsonObject object) {
        this.object = object;
    }

    /** Parses {@code body}, allowing only {@code fields}; an empty body is an empty object. */
    static JsonInput parse(String body, Set<String> fields) {
        if (body == null || body.isBlank()) {
            return new JsonInput(JsonValue.EMPTY_JSON_OBJECT);
        }
        if (body.length() > MAX_BODY_CHARS) {
            throw ApiProblem.badRequest("The body is larger than " + MAX_BODY_CHARS + " characters");
        }
        JsonValue value;
        try (JsonReader reader = Json.createReader(new StringReader(body))) {
            value = reader.readValue();
        } catch (JsonParsingException e) {
            throw ApiProblem.badRequest("The body is not valid JSON (error at line " + e.getLocation().getLineNumber()
                    + ", column " + e.getLocation().getColumnNumber() + ")");
        } catch (JsonException e) {
            throw ApiProblem.badRequest("The body is not valid JSON");
        } catch (RuntimeException e) {
            // The parser's own limits, which it reports outside JsonException: nesting deeper than 1000
            // (RuntimeException), a number of more than 1100 characters (UnsupportedOperationException), an
            // exponent beyond int (NumberFormatException). Client input, so 400, never 500.
            throw ApiProblem.badRequest("The body is not JSON that this API reads (nesting deeper than 1000 levels"
                    + " or a number longer than 1100 characters)");
        }
        if (!(value instanceof JsonObject json)) {
            throw ApiProblem.badRequest("The body must be a JSON object");
        }
        for (String key : json.keySet()) {
            if (!fields.contains(key)) {
                throw ApiProblem.badRequest("Unknown field '" + excerpt(key) + "'; allowed: " + String.join(", ", fields));
            }
        }
        return new JsonInput(json);
    }

    /** The fields the body has, sorted: what a change touched, for the audit log. */
    java.util.List<String> fields() {
        return object.keySet().stream().sorted().toList();
    }

    /** Whether the field is in the body at all, even as {@code null} (which, in a PATCH, removes a value). */
    boolean present(String field) {
        return object.containsKey(field);
    }

    boolean has(String field) {
        return object.containsKey(field) && object.get(field) != JsonValue.NULL;
    }

    Optional<String> string(String field) {
        if (!has(field)) {
            return Optional.empty();
        }
        if (object.get(field) instanceof JsonString string) {
            return Optional.of(string.getString());
        }
        throw ApiProblem.badRequest("'" + field + "' must be a string");
    }

    String requiredString(String field) {
        return string(field).orElseThrow(() -> ApiProblem.badRequest("'" + field + "' is required"));
    }

    Optional<Boolean> bool(String field) {
        if (!has(field)) {
            return Optional.empty();
        }
        JsonValue value = object.get(field);
        if (value == JsonValue.TRUE || value == JsonValue.FALSE) {
            return Optional.of(value == JsonValue.TRUE);
        }
        throw ApiProblem.badRequest("'" + field + "' must be true or false");
    }

    Optional<List<String>> stringList(String field) {
        if (!has(field)) {
            return Optional.empty();
        }
        if (!(object.get(field) instanceof jakarta.json.JsonArray array)) {
            throw ApiProblem.badRequest("'" + field + "' must be an array of strings");
        }
        List<String> strings = new ArrayList<>();
        for (JsonValue item : array) {
            if (!(item instanceof JsonString string)) {
                throw ApiProblem.badRequest("'" + field + "' must be an array of strings");
            }
            strings.add(string.getString());
        }
        return Optional.of(strings);
    }

    /** An RFC 3339 instant such as {@code 2027-01-01T00:00:00Z}; offsets and fractions allowed. */
    Optional<Instant> instant(String field) {
        return string(field).map(text -> {
            OffsetDateTime time;
            try {
                time = OffsetDateTime.parse(text);
            } catch (DateTimeParseException e) {
                time = null;
            }
            // RFC 3339 years have four digits; java.time also reads +999999999-12-31, which the store cannot write
            // as epoch milliseconds.
            if (time == null || time.getYear() < 0 || time.getYear() > 9999) {
                throw ApiProblem.badRequest("'" + field + "' must be an RFC 3339 date-time such as"
                        + " 2027-01-01T00:00:00Z");
            }
            return time.toInstant();
        });
    }

    Optional<Long> integer(String field) {
        if (!has(field)) {
            return Optional.empty();
        }
        if (object.get(field) instanceof jakarta.json.JsonNumber number && number.isIntegral()) {
            try {
                return Optional.of(number.longValueExact());
            } catch (ArithmeticException e) {
                throw ApiProblem.badRequest("'" + field + "' is out of range");
            }
        }
        throw ApiProblem.badRequest("'" + field + "' must be an integer");
    }

    /** A nested object, itself allowing only {@code fields}. */
    Optional<JsonInput> nested(String field, Set<String> fields) {
        if (!has(field)) {
            return Optional.empty();
        }
        if (!(object.get(field) instanceof JsonObject nested)) {
            throw ApiProblem.badRequest("'" + field + "' must be an object");
        }
        for (String key : nested.keySet()) {
            if (!fields.contains(key)) {
                throw ApiProblem.badRequest("Unknown field '" + field + "." + excerpt(key) + "'; allowed: "
                        + String.join(", ", fields));
            }
        }
        return Optional.of(new JsonInput(nested));
    }

    /**
     * Client text for a message, printable and at most {@value #MAX_EXCERPT} characters: shorter than any token,
     * so that a token pasted into the wrong place does not come back in the answer (the contract: nothing in a response
     * ever contains a token).
     */
    static String excerpt(String text) {
        String cut = text.length() > MAX_EXCERPT ? text.substring(0, MAX_EXCERPT - 3) + "..." : text;
        return cut.replaceAll("[^\\x20-\\x7E]", "?");
    }
}
