package io.keygate.server.audit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.keygate.server.store.AuditEvent;
import io.keygate.server.store.AuditStore;
import io.keygate.server.store.Database;
import io.keygate.server.store.Page;
import io.keygate.server.store.StoreSettings;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class AuditTest {

    /** Has a token's shape (its checksum does not matter here: a mistyped token still is one). */
    private static final String TOKEN = "kg_SecretPartOfTheTokenThatMustNotLeak1";

    private Database db;
    private AuditStore store;
    private AuditTrail trail;
    private FailureSummaries failures;

    @BeforeEach
    void open() {
        String url = "jdbc:h2:mem:audit" + System.nanoTime() + ";DB_CLOSE_DELAY=-1";
        db = new Database(StoreSettings.from(key -> StoreSettings.DB_URL.equals(key) ? Optional.of(url) : Optional.empty()));
        store = new AuditStore(db);
        trail = new AuditTrail(store, Clock.systemUTC());
        failures = new FailureSummaries(trail, store);
    }

    @AfterEach
    void close() {
        db.close();
    }

    @Test
    void adminActionsAreListedPerTenantNewestFirst() {
        trail.record("acme", "tok_admin", "token.create", "tok_1", "10.0.0.1", "scopes=read");
        trail.record("acme", "tok_admin", "token.revoke", "tok_1", "10.0.0.1", null);
        trail.record("beta", "tok_admin", "tenant.update", "beta", "10.0.0.2", "name");

        List<AuditEvent> acme = store.list("acme", 10, null).items();
        assertEquals(List.of("token.revoke", "token.create"), acme.stream().map(AuditEvent::getAction).toList());
        assertEquals("tok_admin", acme.get(0).getActor());
        assertEquals("10.0.0.1", acme.get(0).getClientAddress());
        assertEquals(3, store.list(null, 10, null).items().size(), "the global log has every event");
        Page<AuditEvent> first = store.list(null, 2, null);
        assertEquals(1, store.list(null, 2, first.next()).items().size(), "paged");
    }

    @Test
    void aFloodOfFailuresBecomesOneSummaryPerPrefixAndAddressWithoutTheToken() {
        for (int i = 0; i < 5000; i++) {
            failures.failed(null, TOKEN, "203.0.113.9");
        }
        failures.failed(null, "garbage\u0000<script>", "203.0.113.10");

        failures.flush();

        List<AuditEvent> events = store.list(null, 100, null).items();
        assertEquals(2, events.size());
        AuditEvent flood = events.stream().filter(e -> "203.0.113.9".equals(e.getClientAddress())).findFirst()
                .orElseThrow();
        assertEquals("auth.failure", flood.getAction());
        assertEquals("kg_Secre", flood.getTarget(), "only the non-secret prefix");
        assertTrue(flood.getDetail().startsWith("5000 failed authentications"), flood.getDetail());
        String everything = events.stream().map(e -> e.getTarget() + " " + e.getDetail()).toList().toString();
        assertFalse(everything.contains(TOKEN.substring(8)), "no secret part of a token is stored");
        assertFalse(everything.contains("<script>"), "presented garbage is sanitised");
    }

    @Test
    void distinctKeysAreBoundedAndTheRestIsCountedAsOverflow() {
        for (int i = 0; i < FailureSummaries.MAX_KEYS + 500; i++) {
            failures.failed(null, "kg_" + i, "198.51." + (i / 250) + "." + (i % 250));
        }
        failures.flush();

        List<AuditEvent> events = store.list(null, 5000, null).items();
        assertEquals(FailureSummaries.MAX_KEYS + 1, events.size(), "one row per key up to the bound, plus one");
        assertTrue(events.stream().anyMatch(e -> e.getDetail().startsWith("500 more failed authentications")),
                "the rest is counted, not dropped");
    }

    /**
     * What each way into the failure summaries is given when a credential is refused, and what the log keeps of
     * it: the admin API and introspection pass the bearer value, the token endpoint the {@code client_secret} or
     * the password grant's {@code password}, all as presented.
     */
    @Test
    void onlyTheListingPrefixOfATokenShapedCredentialReachesTheLog() {
        String mistypedToken = TOKEN.substring(0, 38) + "X";
        Map<String, String> presented = new LinkedHashMap<>();
        presented.put("a token, mistyped (token endpoint, admin API)", mistypedToken);
        presented.put("a user's password (password grant)", "Tr0ub4dor&3-my-real-password");
        presented.put("the bootstrap admin token, not kg_ (admin API)",
                "it-admin-token-0123456789abcdefghijklmnopqrstuvwxyz");
        presented.put("kg_ but not a token's shape (introspection)", "kg_Hunter2IsMyPassword");
        presented.put("a token cut short", TOKEN.substring(0, 20));
        presented.put("a token with more after it", TOKEN + "Z");
        presented.put("short", "pw");
        int client = 0;
        for (String value : presented.values()) {
            failures.failed(null, value, "192.0.2." + client++);
        }

        failures.flush();

        Map<String, String> targets = new HashMap<>();
        store.list(null, 100, null).items().forEach(e -> targets.put(e.getClientAddress(), e.getTarget()));
        Map<String, String> expected = new HashMap<>();
        for (int i = 0; i < client; i++) {
            expected.put("192.0.2." + i, i == 0 ? "kg_Secre" : null);
        }
        assertEquals(expected, targets, "per address, in the order of " + presented.keySet());
        String details = store.list(null, 100, null).items().stream().map(AuditEvent::getDetail).toList().toString();
        assertFalse(details.contains("Tr0ub") || details.contains("it-admin") || details.contains("Hunter"), details);
    }

    @Test
    void aFilterReportKeepsAPrefixOnlyWhenItIsExactlyAListingPrefix() {
        failures.report("/sample", SINCE, SINCE, List.of(
                new FailureSummaries.Failure(null, "kg_abcde", "192.0.2.1", "invalid", 1),
                new FailureSummaries.Failure(null, "kg_abcdef", "192.0.2.2", "invalid", 1),
                new FailureSummaries.Failure(null, "Tr0ub4do", "192.0.2.3", "checksum", 1),
                new FailureSummaries.Failure(null, "kg_ab<de", "192.0.2.4", "checksum", 1)), 0);

        failures.flush();

        Map<String, String> targets = new HashMap<>();
        store.list(null, 100, null).items().forEach(e -> targets.put(e.getClientAddress(), e.getTarget()));
        Map<String, String> expected = new HashMap<>();
        expected.put("192.0.2.1", "kg_abcde");
        expected.put("192.0.2.2", null);
        expected.put("192.0.2.3", null);
        expected.put("192.0.2.4", null);
        assertEquals(expected, targets);
    }

    private static final Instant SINCE = Instant.parse("2026-01-01T10:00:00Z");

    @Test
    void filterReportsAreListedGloballyAndInTheTenantsLogWhenTheTenantIsKnown() {
        failures.report("/sample", SINCE, SINCE.plusSeconds(1), List.of(
                new FailureSummaries.Failure(null, "kg_Secre", "203.0.113.9", "invalid", 7),
                new FailureSummaries.Failure("acme", "kg_abcde", "198.51.100.7", "address", 2)), 0);
        failures.report("/sample", SINCE.plusSeconds(1), SINCE.plusSeconds(2), List.of(
                new FailureSummaries.Failure(null, "kg_Secre", "203.0.113.9", "expired", 1)), 0);

        failures.flush();

        List<AuditEvent> global = store.list(null, 100, null).items();
        assertEquals(2, global.size(), "one row per key and period, however many reports");
        AuditEvent invalid = global.stream().filter(e -> "203.0.113.9".equals(e.getClientAddress())).findFirst()
                .orElseThrow();
        assertEquals("kg_Secre", invalid.getTarget());
        assertEquals("8 failed authentications at /sample (expired 1, invalid 7) from 2026-01-01T10:00:00Z"
                + " to 2026-01-01T10:00:02Z", invalid.getDetail());
        List<AuditEvent> acme = store.list("acme", 100, null).items();
        assertEquals(1, acme.size(), "only the failure known to concern acme is in acme's log");
        assertEquals("kg_abcde", acme.get(0).getTarget());
        assertEquals("198.51.100.7", acme.get(0).getClientAddress());
        assertTrue(acme.get(0).getDetail().startsWith("2 failed authentications at /sample (address 2)"));
        assertEquals(List.of(), store.list("beta", 100, null).items());
    }

    @Test
    void aFloodOfFilterReportsIsRateLimitedToTheKeyBoundPerPeriod() {
        long sent = 0;
        for (int report = 0; report < 10; report++) {
            List<FailureSummaries.Failure> each = new ArrayList<>();
            for (int i = 0; i < 1000; i++) {
                each.add(new FailureSummaries.Failure(null, "kg_" + String.format("%05d", report * 1000 + i),
                        "198.51.100." + (i % 250), "invalid", 2));
                sent += 2;
            }
            assertTrue(failures.report("/sample", SINCE, SINCE.plusSeconds(1), each, 100));
            sent += 100;
        }
        failures.flush();

        List<AuditEvent> events = store.list(null, 5000, null).items();
        assertEquals(FailureSummaries.MAX_KEYS + 1, events.size(), "one row per key up to the bound, plus one");
        long written = events.stream().mapToLong(e -> Long.parseLong(e.getDetail().split(" ")[0])).sum();
        assertEquals(sent, written, "every failure is counted, the rest in the overflow row");
    }

    @Test
    void reportsAfterCloseAreRefusedSoTheFilterKeepsThem() {
        failures.report("/sample", SINCE, SINCE, List.of(
                new FailureSummaries.Failure(null, null, "203.0.113.9", "malformed", 1)), 0);
        failures.close();
        assertEquals(1, store.list(null, 100, null).items().size(), "close writes the last summaries");
        assertFalse(failures.report("/sample", SINCE, SINCE, List.of(
                new FailureSummaries.Failure(null, null, "203.0.113.9", "malformed", 1)), 0));
        failures.flush();
        assertEquals(1, store.list(null, 100, null).items().size());
    }
}
