package io.keygate.server.verify;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.keygate.limits.CountBoard;
import io.keygate.metrics.Outcome;
import io.keygate.metrics.VerificationCounts;
import io.keygate.protocol.ProtocolJson;
import io.keygate.protocol.Verdict;
import io.keygate.protocol.VerifierProtocol;
import io.keygate.server.audit.FailureSummaries;
import io.keygate.server.audit.RecordedAudit;
import io.keygate.server.metrics.ServerMetrics;
import io.keygate.server.store.ApiToken;
import io.keygate.server.store.AuditEvent;
import io.keygate.server.store.TokenDetails;
import io.keygate.server.store.Usage;
import io.keygate.server.store.Verification;
import io.keygate.server.usage.UsageCounter;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

/** The verifier protocol end to end on the server side, without a container or a database. */
class VerifierFunctionsTest {

    private static final Instant EXPIRY = Instant.parse("2027-01-01T00:00:00Z");
    private static final ApiToken TOKEN = new ApiToken("tok_1", "acme", "a".repeat(64), "kg_abcde",
            new TokenDetails("Website Integration", "alice", Set.of("read"), EXPIRY), Instant.EPOCH);
    private static final ApiToken ADMIN = new ApiToken("tok_2", null, "b".repeat(64), "kg_fghij",
            new TokenDetails("Admin", null, Set.of("admin"), null), Instant.EPOCH);

    private final Map<String, Verification> store = new HashMap<>(Map.of(
            "valid", new Verification.Valid(TOKEN), "admin", new Verification.Valid(ADMIN),
            "expired", Verification.EXPIRED));
    private final ChangeLog changes = new ChangeLog(ChangeLog.CAPACITY);
    private final UsageCounter usage = new UsageCounter();
    /** What the audit log received. */
    private final RecordedAudit recorded = new RecordedAudit();
    private final List<AuditEvent> audit = recorded.events();
    private final FailureSummaries failures = recorded.summaries();
    private final CountBoard board = new CountBoard();
    private final ServerMetrics metrics = new ServerMetrics();
    private final VerifierFunctions functions = new VerifierFunctions(
            hash -> store.getOrDefault(hash, Verification.INVALID), changes, usage, failures, board, metrics);

    @Test
    void metricsThenTheSameCountsForOneApplicationAndOthersForAnother() throws Exception {
        VerificationCounts orders = VerificationCounts.fromWire(functions.invoke(VerifierProtocol.METRICS, "/orders"));
        VerificationCounts again = VerificationCounts.fromWire(functions.invoke(VerifierProtocol.METRICS, "/orders"));
        VerificationCounts billing = VerificationCounts.fromWire(functions.invoke(VerifierProtocol.METRICS, "/billing"));
        orders.count(Outcome.OK);
        again.count(Outcome.OK);
        billing.count(Outcome.EXPIRED);

        assertEquals(2, metrics.forApplication("/orders").total(Outcome.OK));
        assertEquals(0, metrics.forApplication("/orders").total(Outcome.EXPIRED));
        assertEquals(1, metrics.forApplication("/billing").total(Outcome.EXPIRED));
        assertThrows(NoSuchMethodException.class, () -> functions.invoke(VerifierProtocol.METRICS));
        assertThrows(NoSuchMethodException.class, () -> functions.invoke(VerifierProtocol.METRICS, 7L));
    }

    @Test
    void verifyThenTheStoreLookUpTimedAndARevokedTokenFlaggedForTheMetricsOnly() throws Exception {
        List<Long> lookups = new ArrayList<>();
        metrics.storeLookups().sendTo(lookups::add);
        store.put("r".repeat(64), Verification.REVOKED);

        assertEquals(Verdict.REVOKED.toWire(), functions.invoke(VerifierProtocol.VERIFY, "r".repeat(64)));
        assertEquals(Verdict.INVALID.toWire(), functions.invoke(VerifierProtocol.VERIFY, "u".repeat(64)));
        assertEquals(2, lookups.size());
        assertTrue(lookups.stream().allMatch(nanos -> nanos >= 0));
    }

    @Test
    void limitsThenTheServersOneBoardForEveryCallerAndNoArgumentsTaken() throws Exception {
        CountBoard first = CountBoard.fromWire(functions.invoke(VerifierProtocol.LIMITS));
        CountBoard second = CountBoard.fromWire(functions.invoke(VerifierProtocol.LIMITS));
        assertTrue(board.sameAs(first));
        assertTrue(board.sameAs(second));
        assertThrows(NoSuchMethodException.class, () -> functions.invoke(VerifierProtocol.LIMITS, "x"));
    }

    @Test
    void verifyThenIdentityWithoutCountingAUse() throws Exception {
        assertEquals(Map.of(VerifierProtocol.RESULT, VerifierProtocol.VALID, VerifierProtocol.TENANT, "acme",
                VerifierProtocol.TOKEN_ID, "tok_1", VerifierProtocol.TOKEN_NAME, "Website Integration",
                VerifierProtocol.PRINCIPAL, "alice", VerifierProtocol.SCOPES, List.of("read"),
                VerifierProtocol.EXPIRES_AT, EXPIRY.toEpochMilli()), functions.invoke(VerifierProtocol.VERIFY, "valid"));
        assertEquals(Map.of(VerifierProtocol.RESULT, VerifierProtocol.EXPIRED), functions.invoke("verify", "expired"));
        assertEquals(Map.of(VerifierProtocol.RESULT, VerifierProtocol.INVALID), functions.invoke("verify", "nope"));
        assertEquals(Map.of(VerifierProtocol.RESULT, VerifierProtocol.INVALID), functions.invoke("verify", "admin"),
                "global admin tokens are for the admin API only");
        assertEquals(4, functions.verifyCalls());
        assertEquals(0, usage.pending("tok_1").map(Usage::count).orElse(0L), "the filter counts, not verify");
    }

    @Test
    void subscribeThenTheSameGenerationObjectForEveryone() throws Exception {
        assertSame(changes.generation(), functions.invoke(VerifierProtocol.SUBSCRIBE));
        assertSame(functions.invoke(VerifierProtocol.SUBSCRIBE), functions.invoke(VerifierProtocol.SUBSCRIBE));
    }

    @Test
    void changesSinceThenJdkTypedAnswer() throws Exception {
        changes.tokenChanged("a".repeat(64));
        changes.tenantChanged("acme");
        changes.secretChanged("c".repeat(64), "tok_3");
        assertEquals(Map.of(VerifierProtocol.GENERATION, 3L,
                VerifierProtocol.CHANGED_TOKENS, List.of("a".repeat(64), "c".repeat(64)),
                VerifierProtocol.CHANGED_TENANTS, List.of("acme"), VerifierProtocol.CHANGED_SECRETS, List.of("tok_3"),
                VerifierProtocol.COMPLETE, true), functions.invoke(VerifierProtocol.CHANGES_SINCE, 0L,
                        List.of(VerifierProtocol.CHANGED_SECRETS)));
    }

    /**
     * A filter older than {@code secrets} (one argument, or a second that does not name it) would forget a changed
     * secret but keep the access tokens it issued: when the changes name a secret, it is told to forget everything.
     */
    @Test
    void changesSinceForACallerThatDoesNotNameSecretsThenIncompleteWhenASecretChanged() throws Exception {
        changes.tokenChanged("a".repeat(64));
        changes.tenantChanged("acme");
        Map<String, Object> noSecret = Map.of(VerifierProtocol.GENERATION, 2L,
                VerifierProtocol.CHANGED_TOKENS, List.of("a".repeat(64)), VerifierProtocol.CHANGED_TENANTS,
                List.of("acme"), VerifierProtocol.CHANGED_SECRETS, List.of(), VerifierProtocol.COMPLETE, true);
        assertEquals(noSecret, functions.invoke(VerifierProtocol.CHANGES_SINCE, 0L), "no secret changed");
        changes.secretChanged("c".repeat(64), "tok_3");

        Map<String, Object> forgetEverything = Map.of(VerifierProtocol.GENERATION, 3L,
                VerifierProtocol.CHANGED_TOKENS, List.of(), VerifierProtocol.CHANGED_TENANTS, List.of(),
                VerifierProtocol.CHANGED_SECRETS, List.of(), VerifierProtocol.COMPLETE, false);
        assertEquals(forgetEverything, functions.invoke(VerifierProtocol.CHANGES_SINCE, 0L));
        assertEquals(forgetEverything, functions.invoke(VerifierProtocol.CHANGES_SINCE, 2L));
        assertEquals(forgetEverything, functions.invoke(VerifierProtocol.CHANGES_SINCE, 0L, List.of("later")),
                "names it does not know are ignored");
        assertEquals(Map.of(VerifierProtocol.GENERATION, 3L, VerifierProtocol.CHANGED_TOKENS, List.of("c".repeat(64)),
                VerifierProtocol.CHANGED_TENANTS, List.of(), VerifierProtocol.CHANGED_SECRETS, List.of("tok_3"),
                VerifierProtocol.COMPLETE, true), functions.invoke(VerifierProtocol.CHANGES_SINCE, 2L,
                        List.of("later", VerifierProtocol.CHANGED_SECRETS)), "a filter that names secrets");
        assertEquals(Map.of(VerifierProtocol.GENERATION, 3L, VerifierProtocol.CHANGED_TOKENS, List.of(),
                VerifierProtocol.CHANGED_TENANTS, List.of(), VerifierProtocol.CHANGED_SECRETS, List.of(),
                VerifierProtocol.COMPLETE, true), functions.invoke(VerifierProtocol.CHANGES_SINCE, 3L),
                "nothing since: complete for anyone");
    }

    @Test
    void recordUsageThenMergedIntoPendingCountsUntilClosed() throws Exception {
        usage.record("tok_1", Instant.ofEpochMilli(1_000));
        assertEquals(Boolean.TRUE, functions.invoke(VerifierProtocol.RECORD_USAGE,
                Map.of("tok_1", List.of(3L, 5_000L), "tok_9", List.of(1L, 2_000L))));
        assertEquals(new Usage(4, Instant.ofEpochMilli(5_000)), usage.pending("tok_1").orElseThrow());
        assertEquals(new Usage(1, Instant.ofEpochMilli(2_000)), usage.pending("tok_9").orElseThrow());

        List<Map<String, Usage>> written = new ArrayList<>();
        usage.close(written::add);
        assertEquals(Boolean.FALSE, functions.invoke(VerifierProtocol.RECORD_USAGE,
                Map.of("tok_1", List.of(1L, 6_000L))), "refused after the last batch: the filter keeps it");
        assertEquals(List.of(Map.of("tok_1", new Usage(4, Instant.ofEpochMilli(5_000)),
                "tok_9", new Usage(1, Instant.ofEpochMilli(2_000)))), written);
    }

    @Test
    void stoppingVerifierTakesWhatFiltersStillCountThroughTheSourcesTheyHandedOver() throws Exception {
        Map<String, List<Long>> stillCounted = new HashMap<>(Map.of("tok_1", List.of(4L, 7_000L)));
        Supplier<Map<String, List<Long>>> source = () -> {
            Map<String, List<Long>> taken = Map.copyOf(stillCounted);
            stillCounted.clear();
            return taken;
        };
        assertEquals(Boolean.TRUE, functions.invoke(VerifierProtocol.RECORD_USAGE, Map.of(), source));
        assertEquals(Boolean.TRUE, functions.invoke(VerifierProtocol.RECORD_USAGE, Map.of(), source), "once is kept");
        Supplier<Map<String, List<Long>>> broken = () -> {
            throw new IllegalStateException("its application is gone");
        };
        functions.invoke(VerifierProtocol.RECORD_USAGE, Map.of(), broken);

        functions.takeUsageFromFilters();

        assertEquals(new Usage(4, Instant.ofEpochMilli(7_000)), usage.pending("tok_1").orElseThrow());
        functions.takeUsageFromFilters();
        assertEquals(4, usage.pending("tok_1").orElseThrow().count(), "each source is asked once");
    }

    @Test
    void anythingOutsideTheProtocolThenNoSuchMethod() {
        List<Object[]> calls = List.of(
                new Object[] {"verify", new Object[] {42}},
                new Object[] {"verify", new Object[] {"a", "b"}},
                new Object[] {"subscribe", new Object[] {"x"}},
                new Object[] {"changesSince", new Object[] {1}},
                new Object[] {"changesSince", new Object[] {1L, "secrets"}},
                new Object[] {"changesSince", new Object[] {1L, List.of(7L)}},
                new Object[] {"changesSince", new Object[] {1L, List.of("secrets"), List.of()}},
                new Object[] {"recordUsage", new Object[] {Map.of("tok_1", List.of(0L, 1L))}},
                new Object[] {"recordUsage", new Object[] {Map.of("tok_1", List.of(1L))}},
                new Object[] {"recordUsage", new Object[] {Map.of(7, List.of(1L, 1L))}},
                new Object[] {"recordUsage", new Object[] {List.of()}},
                new Object[] {"eval", new Object[] {}},
                new Object[] {null, new Object[] {}});
        for (Object[] call : calls) {
            assertThrows(NoSuchMethodException.class, () -> functions.invoke((String) call[0], (Object[]) call[1]),
                    String.valueOf(call[0]));
        }
        assertEquals(0, usage.pending("tok_1").map(Usage::count).orElse(0L));
    }

    private static Map<String, Object> failure(String prefix, String client, String reason, long count, String tenant) {
        Map<String, Object> failure = new HashMap<>();
        failure.put(VerifierProtocol.CLIENT, client);
        failure.put(VerifierProtocol.REASON, reason);
        failure.put(VerifierProtocol.COUNT, count);
        if (prefix != null) {
            failure.put(VerifierProtocol.PREFIX, prefix);
        }
        if (tenant != null) {
            failure.put(VerifierProtocol.TENANT, tenant);
        }
        return failure;
    }

    private static Map<String, Object> report(List<?> failures, long overflow) {
        return report("/sample", 1_767_225_540_000L, 1_767_225_541_000L, failures, overflow);
    }

    private static Map<String, Object> report(Object application, Object since, Object until, Object failures,
            Object overflow) {
        Map<String, Object> report = new HashMap<>();
        report.put(VerifierProtocol.APPLICATION, application);
        report.put(VerifierProtocol.SINCE, since);
        report.put(VerifierProtocol.UNTIL, until);
        report.put(VerifierProtocol.FAILURES, failures);
        report.put(VerifierProtocol.OVERFLOW, overflow);
        return report;
    }

    private static Map<String, Object> with(Map<String, Object> map, String key, Object value) {
        Map<String, Object> copy = new HashMap<>(map);
        copy.put(key, value);
        return copy;
    }

    @Test
    void recordFailuresThenSummarisedIntoTheAuditLogWithApplicationReasonsAndWindow() throws Exception {
        assertEquals(Boolean.TRUE, functions.invoke(VerifierProtocol.RECORD_FAILURES, report(List.of(
                failure("kg_abcde", "203.0.113.9", "invalid", 40, null),
                failure("kg_abcde", "203.0.113.9", "expired", 2, null),
                failure("kg_fghij", "198.51.100.7", "address", 3, "acme"),
                failure(null, "203.0.113.9", "malformed", 1, null)), 5)));
        assertEquals(Boolean.TRUE, functions.invoke(VerifierProtocol.RECORD_FAILURES, report("", 1_767_225_541_000L,
                1_767_225_542_000L, List.of(failure("kg_abcde", "203.0.113.9", "invalid", 1, null)), 0L)));
        assertTrue(audit.isEmpty(), "written once a period, not per report");

        failures.flush();

        Map<String, AuditEvent> events = new HashMap<>();
        audit.forEach(e -> events.put(e.getTarget() + " " + e.getClientAddress() + " " + e.getDetail().split(" ")[4],
                e));
        assertEquals(5, audit.size(), String.valueOf(events.keySet()));
        AuditEvent flood = events.get("kg_abcde 203.0.113.9 /sample");
        assertEquals("auth.failure", flood.getAction());
        assertEquals("anonymous", flood.getActor());
        assertEquals(null, flood.getTenantSlug(), "an invalid token names no tenant: the global log only");
        assertEquals("42 failed authentications at /sample (expired 2, invalid 40) from 2025-12-31T23:59:00Z"
                + " to 2025-12-31T23:59:01Z", flood.getDetail());
        AuditEvent fenced = events.get("kg_fghij 198.51.100.7 /sample");
        assertEquals("acme", fenced.getTenantSlug(), "a valid token refused for its address: its tenant's log too");
        assertTrue(fenced.getDetail().startsWith("3 failed authentications at /sample (address 3)"));
        assertTrue(events.containsKey("null 203.0.113.9 /sample"), "no prefix when none was presented");
        assertTrue(events.get("kg_abcde 203.0.113.9 /").getDetail().startsWith("1 failed authentications at / "),
                "the root context is shown as /");
        assertTrue(audit.stream().anyMatch(e -> e.getDetail().startsWith("5 more failed authentications")),
                "what the filter could not itemise is counted too");
    }

    @Test
    void recordFailuresOverTheHttpBindingThenTheSameReportAfterItsJsonRoundTrip() throws Exception {
        Map<String, Object> sent = report(List.of(failure("kg_abcde", "2001:db8:0:0:0:0:0:1", "invalid", 3, null),
                failure(null, "unknown", "malformed", 1, null)), 0);
        Object received = ProtocolJson.fromJson(ProtocolJson.toJson(List.of(sent)).asJsonArray());

        assertEquals(Boolean.TRUE, functions.invoke(VerifierProtocol.RECORD_FAILURES, ((List<?>) received).toArray()));
        failures.flush();
        assertEquals(2, audit.size());
        assertTrue(audit.stream().anyMatch(e -> "2001:db8:0:0:0:0:0:1".equals(e.getClientAddress())
                && "kg_abcde".equals(e.getTarget()) && e.getDetail().startsWith("3 failed authentications")));
    }

    @Test
    void recordFailuresAfterTheLastSummariesThenFalseSoTheFilterKeepsThem() throws Exception {
        failures.close();
        assertEquals(Boolean.FALSE, functions.invoke(VerifierProtocol.RECORD_FAILURES,
                report(List.of(failure("kg_abcde", "203.0.113.9", "invalid", 1, null)), 0)));
        failures.flush();
        assertTrue(audit.isEmpty());
    }

    @Test
    void recordFailuresOutsideTheProtocolThenNoSuchMethodAndNothingCounted() {
        String token = "kg_" + "A".repeat(36);
        Map<String, Object> good = failure("kg_abcde", "203.0.113.9", "invalid", 1, null);
        List<Map<String, Object>> tooMany = Collections.nCopies(VerifierProtocol.MAX_FAILURE_ENTRIES + 1, good);
        List<Object> reports = List.of(
                report(List.of(with(good, VerifierProtocol.PREFIX, token)), 0),
                report(List.of(with(good, VerifierProtocol.PREFIX, "a".repeat(64))), 0),
                report(List.of(with(good, VerifierProtocol.PREFIX, "kg_abcdef")), 0),
                report(List.of(with(good, VerifierProtocol.PREFIX, "kg_ab<de")), 0),
                report(List.of(with(good, "token", token)), 0),
                report(List.of(with(good, VerifierProtocol.COUNT, 0L)), 0),
                report(List.of(with(good, VerifierProtocol.COUNT, 1)), 0),
                report(List.of(with(good, VerifierProtocol.CLIENT, "203.0.113.9 <script>")), 0),
                report(List.of(with(good, VerifierProtocol.CLIENT, null)), 0),
                report(List.of(with(good, VerifierProtocol.REASON, "Invalid!")), 0),
                report(List.of(with(good, VerifierProtocol.TENANT, "Acme Inc")), 0),
                report(List.of("kg_abcde"), 0),
                report(tooMany, 0),
                report(List.of(good), -1),
                report("sample", 1L, 2L, List.of(good), 0L),
                report("/sample\n/forged", 1L, 2L, List.of(good), 0L),
                report("/sample", 2L, 1L, List.of(good), 0L),
                report("/sample", -1L, 1L, List.of(good), 0L),
                report("/sample", 1, 2L, List.of(good), 0L),
                report("/sample", 1L, 2L, Map.of(), 0L),
                with(report(List.of(good), 0), "token", token),
                Map.of(VerifierProtocol.APPLICATION, "/sample"),
                List.of(good));
        for (Object report : reports) {
            assertThrows(NoSuchMethodException.class,
                    () -> functions.invoke(VerifierProtocol.RECORD_FAILURES, report), String.valueOf(report));
        }
        assertThrows(NoSuchMethodException.class, () -> functions.invoke(VerifierProtocol.RECORD_FAILURES,
                report(List.of(good), 0), report(List.of(good), 0)));
        assertThrows(NoSuchMethodException.class, () -> functions.invoke(VerifierProtocol.RECORD_FAILURES));
        failures.flush();
        assertTrue(audit.isEmpty(), "nothing of a refused report is counted: " + audit);
        assertFalse(audit.stream().anyMatch(e -> String.valueOf(e.getTarget()).contains(token)));
    }
}
