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
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class AuditTest {

    private static final String TOKEN = "kg_SecretPartOfTheTokenThatMustNotLeak1234";

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
            failures.failed(null, "kg_" + i, "198.51.100." + (i % 250));
        }
        failures.flush();

        List<AuditEvent> events = store.list(null, 5000, null).items();
        assertEquals(FailureSummaries.MAX_KEYS + 1, events.size(), "one row per key up to the bound, plus one");
        assertTrue(events.stream().anyMatch(e -> e.getDetail().startsWith("500 more failed authentications")),
                "the rest is counted, not dropped");
    }
}
