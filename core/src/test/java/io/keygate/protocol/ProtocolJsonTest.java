package io.keygate.protocol;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.keygate.protocol.ProtocolJson;
import io.keygate.protocol.VerifierProtocol;
import jakarta.json.Json;
import jakarta.json.JsonValue;
import java.io.StringReader;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The protocol's values survive the trip through JSON, and nothing outside the protocol is written or read. */
class ProtocolJsonTest {

    private static Object roundTrip(Object value) {
        String text = ProtocolJson.toJson(value).toString();
        return ProtocolJson.fromJson(Json.createReader(new StringReader("[" + text + "]")).readArray().get(0));
    }

    @Test
    void roundTripThenVerdictUsageAndChangesComeBackEqual() {
        Map<String, Object> verdict = Map.of(VerifierProtocol.RESULT, VerifierProtocol.VALID,
                VerifierProtocol.SCOPES, List.of("read", "reports:read"), VerifierProtocol.EXPIRES_AT, 1_800_000_000_000L,
                VerifierProtocol.RATE_LIMIT, List.of(100L, 60L));
        assertEquals(verdict, roundTrip(verdict));
        Map<String, Object> usage = Map.of("tok_1", List.of(3L, 1_800_000_000_000L));
        assertEquals(usage, roundTrip(usage));
        Map<String, Object> changes = Map.of(VerifierProtocol.GENERATION, 7L, VerifierProtocol.COMPLETE, false,
                VerifierProtocol.CHANGED_TOKENS, List.of(), VerifierProtocol.CHANGED_TENANTS, List.of("acme"));
        assertEquals(changes, roundTrip(changes));
        assertEquals(Arrays.asList("a", null), roundTrip(Arrays.asList("a", null)));
    }

    @Test
    void toJsonThenIntegerBecomesANumberThatComesBackAsLong() {
        assertEquals(42L, roundTrip(42));
    }

    @Test
    void fromJsonWhenFractionOrHugeNumberThenRefused() {
        assertThrows(IllegalArgumentException.class, () -> ProtocolJson.fromJson(Json.createValue(1.5)));
        assertThrows(IllegalArgumentException.class,
                () -> ProtocolJson.fromJson(Json.createValue(new java.math.BigInteger("99999999999999999999"))));
    }

    @Test
    void toJsonWhenTypeOutsideProtocolThenRefusedWithoutQuotingTheValue() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> ProtocolJson.toJson(new StringBuilder("secret-value")));
        assertFalse(e.getMessage().contains("secret-value"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> ProtocolJson.toJson(Map.of(1, "x")));
        assertThrows(IllegalArgumentException.class, () -> ProtocolJson.toJson(1.5d));
    }

    @Test
    void fromJsonThenNullAndBooleans() {
        assertEquals(null, ProtocolJson.fromJson(JsonValue.NULL));
        assertEquals(Boolean.TRUE, ProtocolJson.fromJson(JsonValue.TRUE));
    }
}
