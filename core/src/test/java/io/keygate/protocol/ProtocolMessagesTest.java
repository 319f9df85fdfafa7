package io.keygate.protocol;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

/** Every message of the protocol read back as it was written, also after the HTTP binding's JSON; and refusals. */
class ProtocolMessagesTest {

    private static final Verdict.Valid VALID = new Verdict.Valid("acme", "tok-1", "Website Integration", "alice",
            List.of("read", "write"), 1_800_000_000_000L, new Verdict.RateLimit(100, 60),
            List.of("192.0.2.0/24", "2001:db8::1"), "tok-secret");

    /** What the HTTP binding makes of a value: JSON and back. */
    private static Object overHttp(Object wire) {
        return ProtocolJson.fromJson(ProtocolJson.toJson(wire));
    }

    @Test
    void verdictWhenWrittenThenReadBackInProcessAndOverHttp() {
        for (Verdict verdict : List.of(VALID, Verdict.INVALID, Verdict.REVOKED, Verdict.EXPIRED,
                new Verdict.Valid("acme", "tok-2", "CI", "ci", List.of(), null, null, null, null))) {
            assertEquals(verdict, Verdict.fromWire(verdict.toWire()).orElseThrow());
            assertEquals(verdict, Verdict.fromWire(overHttp(verdict.toWire())).orElseThrow());
        }
    }

    @Test
    void revokedThenInvalidToAFilterThatDoesNotKnowTheFlag() {
        assertEquals(Map.of(VerifierProtocol.RESULT, VerifierProtocol.INVALID, VerifierProtocol.REVOKED, true),
                Verdict.REVOKED.toWire());
        assertEquals(Map.of(VerifierProtocol.RESULT, VerifierProtocol.INVALID), Verdict.INVALID.toWire());
        assertEquals(Verdict.INVALID, Verdict.fromWire(Map.of(VerifierProtocol.RESULT, VerifierProtocol.INVALID,
                VerifierProtocol.REVOKED, "yes")).orElseThrow(), "anything but TRUE is not revoked");
    }

    @Test
    void verdictWhenOffTheProtocolThenEmpty() {
        List<Consumer<Map<String, Object>>> breaks = List.of(m -> m.put(VerifierProtocol.RESULT, "maybe"),
                m -> m.remove(VerifierProtocol.TENANT), m -> m.put(VerifierProtocol.PRINCIPAL, " "),
                m -> m.put(VerifierProtocol.SCOPES, List.of("read write")),
                m -> m.put(VerifierProtocol.EXPIRES_AT, "soon"),
                m -> m.put(VerifierProtocol.RATE_LIMIT, List.of(0L, 60L)),
                m -> m.put(VerifierProtocol.ALLOWED_ADDRESSES, List.of("example.com")),
                m -> m.put(VerifierProtocol.PARENT_ID, 7L));
        for (Consumer<Map<String, Object>> change : breaks) {
            Map<String, Object> answer = new HashMap<>(VALID.toWire());
            change.accept(answer);
            assertTrue(Verdict.fromWire(answer).isEmpty(), String.valueOf(answer));
        }
        assertTrue(Verdict.fromWire("valid").isEmpty());
    }

    @Test
    void changeSetSubscriptionAndUsageReportWhenWrittenThenReadBack() {
        ChangeSet changes = new ChangeSet(3, List.of("a".repeat(64)), List.of("acme"), List.of("tok-secret"), true);
        assertEquals(changes, ChangeSet.fromWire(overHttp(changes.toWire())).orElseThrow());
        assertEquals(ChangeSet.incomplete(4), ChangeSet.fromWire(ChangeSet.incomplete(4).toWire()).orElseThrow());
        Subscription subscription = new Subscription(9, "log-1");
        assertEquals(subscription, Subscription.fromWire(overHttp(subscription.toWire())).orElseThrow());
        UsageReport usage = new UsageReport(Map.of("tok-1", new UsageReport.Use(3, 1_800_000_000_000L)));
        assertEquals(usage, UsageReport.fromWire(overHttp(usage.toWire())).orElseThrow());
    }

    @Test
    void changeSetSubscriptionAndUsageReportWhenOffTheProtocolThenEmpty() {
        assertTrue(ChangeSet.fromWire(Map.of(VerifierProtocol.GENERATION, 1, VerifierProtocol.COMPLETE, true))
                .isEmpty());
        assertTrue(Subscription.fromWire(Map.of(VerifierProtocol.GENERATION, -1L, VerifierProtocol.LOG, "l"))
                .isEmpty());
        assertTrue(UsageReport.fromWire(Map.of("tok-1", List.of(0L, 5L))).isEmpty());
        assertTrue(UsageReport.fromWire(Map.of(" ", List.of(1L, 5L))).isEmpty());
        assertTrue(UsageReport.fromWire(List.of()).isEmpty());
    }

    @Test
    void failureReportWhenWrittenThenReadBackAndNothingElseOfATokenIsAccepted() {
        FailureReport report = new FailureReport("/sample", 1L, 2L, List.of(
                new FailureReport.Failure("kg_abcde", "fe80:0:0:0:0:0:0:1%eth0", "address", 2, "acme"),
                new FailureReport.Failure(null, "unknown", "malformed", 1, null)), 5);
        assertEquals(report, FailureReport.fromWire(overHttp(report.toWire())).orElseThrow());
        assertThrows(IllegalArgumentException.class,
                () -> new FailureReport.Failure("kg_abcdef", "unknown", "invalid", 1, null));
        assertThrows(IllegalArgumentException.class, () -> new FailureReport("sample", 1L, 2L, List.of(), 0));
        assertEquals("/?ber", FailureReport.application("/über"));
        assertEquals(201, FailureReport.application("/" + "a".repeat(300)).length() + 1);
    }
}
