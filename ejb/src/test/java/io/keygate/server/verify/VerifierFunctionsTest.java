package io.keygate.server.verify;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.keygate.server.store.ApiToken;
import io.keygate.server.store.TokenDetails;
import io.keygate.server.store.Usage;
import io.keygate.server.store.Verification;
import io.keygate.server.usage.UsageCounter;
import io.keygate.token.VerifierProtocol;
import java.time.Instant;
import java.util.ArrayList;
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
    private final VerifierFunctions functions =
            new VerifierFunctions(hash -> store.getOrDefault(hash, Verification.INVALID), changes, usage);

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
        assertEquals(Map.of(VerifierProtocol.GENERATION, 2L, VerifierProtocol.CHANGED_TOKENS, List.of("a".repeat(64)),
                VerifierProtocol.CHANGED_TENANTS, List.of("acme"), VerifierProtocol.COMPLETE, true),
                functions.invoke(VerifierProtocol.CHANGES_SINCE, 0L));
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
}
