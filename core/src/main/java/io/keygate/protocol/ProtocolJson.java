package io.keygate.protocol;

import jakarta.json.Json;
import jakarta.json.JsonArray;
import jakarta.json.JsonArrayBuilder;
import jakarta.json.JsonNumber;
import jakarta.json.JsonObject;
import jakarta.json.JsonObjectBuilder;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The values of {@link VerifierProtocol} as JSON, for its HTTP binding ({@link VerifierProtocol#HTTP_PATH}), and
 * back: {@code String} as a string, {@code Boolean} as a boolean, whole numbers ({@code Long}, {@code Integer})
 * as numbers, {@code List} as an array, {@code Map} with {@code String} keys as an object, {@code null} as null.
 *
 * <p>The protocol has only whole numbers, so a JSON number comes back as a {@code Long}, and a number with a
 * fraction or beyond the {@code long} range is refused. Anything outside these types is refused in both
 * directions with an {@link IllegalArgumentException} whose message names the type, never the value (a value
 * may be a token hash).
 */
public final class ProtocolJson {

    private ProtocolJson() {
    }

    /** {@code value} as JSON. */
    public static JsonValue toJson(Object value) {
        if (value == null) {
            return JsonValue.NULL;
        }
        if (value instanceof String text) {
            return Json.createValue(text);
        }
        if (value instanceof Boolean flag) {
            return flag ? JsonValue.TRUE : JsonValue.FALSE;
        }
        if (value instanceof Long || value instanceof Integer) {
            return Json.createValue(((Number) value).longValue());
        }
        if (value instanceof List<?> list) {
            JsonArrayBuilder array = Json.createArrayBuilder();
            list.forEach(item -> array.add(toJson(item)));
            return array.build();
        }
        if (value instanceof Map<?, ?> map) {
            JsonObjectBuilder object = Json.createObjectBuilder();
            for (Map.Entry<?, ?> entry : map.entrySet()) {
                if (!(entry.getKey() instanceof String key)) {
                    throw new IllegalArgumentException("a protocol map has String keys only");
                }
                object.add(key, toJson(entry.getValue()));
            }
            return object.build();
        }
        throw new IllegalArgumentException("no JSON form for " + value.getClass().getName());
    }

    /** {@code json} as protocol values: unmodifiable lists and maps, {@code Long} numbers. */
    public static Object fromJson(JsonValue json) {
        switch (json.getValueType()) {
            case NULL:
                return null;
            case TRUE:
                return Boolean.TRUE;
            case FALSE:
                return Boolean.FALSE;
            case STRING:
                return ((JsonString) json).getString();
            case NUMBER:
                JsonNumber number = (JsonNumber) json;
                if (!number.isIntegral()) {
                    throw new IllegalArgumentException("the protocol has whole numbers only");
                }
                try {
                    return number.bigDecimalValue().longValueExact();
                } catch (ArithmeticException e) {
                    throw new IllegalArgumentException("a number beyond the range of long");
                }
            case ARRAY:
                JsonArray array = json.asJsonArray();
                List<Object> list = new ArrayList<>(array.size());
                array.forEach(item -> list.add(fromJson(item)));
                return Collections.unmodifiableList(list);
            case OBJECT:
                JsonObject object = json.asJsonObject();
                Map<String, Object> map = new LinkedHashMap<>();
                object.forEach((key, item) -> map.put(key, fromJson(item)));
                return Collections.unmodifiableMap(map);
            default:
                throw new IllegalArgumentException("no protocol value for JSON " + json.getValueType());
        }
    }
}
