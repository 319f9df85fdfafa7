package io.keygate.server.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.keygate.token.TokenHash;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The store against a real database through the real provider (EclipseLink, as on Payara), without a server.
 * Each test gets a fresh in-memory H2 database.
 */
class StoreTest {

    private final MutableClock clock = new MutableClock(Instant.parse("2026-01-01T00:00:00Z"));
    private Database db;
    private TenantStore tenants;
    private TokenStore tokens;

    @BeforeEach
    void open() {
        String url = "jdbc:h2:mem:store" + System.nanoTime() + ";DB_CLOSE_DELAY=-1";
        db = new Database(StoreSettings.from(key -> StoreSettings.DB_URL.equals(key) ? Optional.of(url) : Optional.empty()));
        db.connect();
        tenants = new TenantStore(db, clock);
        tokens = new TokenStore(db, clock);
        tenants.create("acme", "Acme Inc", null);
    }

    @AfterEach
    void close() {
        db.close();
    }

    @Test
    void issuedTokenVerifiesByHashAndStoresNoPlaintext() {
        TokenStore.IssuedToken issued = tokens.issue("acme", details("ci", Set.of("read"), null)).orElseThrow();

        Verification verification = tokens.verify(TokenHash.of(issued.plaintext()));

        ApiToken token = assertInstanceOf(Verification.Valid.class, verification).token();
        assertEquals("acme", token.getTenantSlug());
        assertEquals(Set.of("read"), token.getScopes());
        assertEquals(TokenHash.of(issued.plaintext()), token.getHash());
        assertTrue(issued.plaintext().startsWith(token.getPrefix()));
        String stored = db.read(em -> em.createNativeQuery("SELECT * FROM KG_TOKEN").getResultList().toString());
        assertFalse(stored.contains(issued.plaintext()), "the plaintext must not be stored");
    }

    @Test
    void unknownRevokedAndDisabledTenantAreInvalidExpiredIsExpired() {
        String revoked = tokens.issue("acme", details("r", Set.of("read"), null)).orElseThrow().plaintext();
        String expiring = tokens.issue("acme", details("e", Set.of("read"), clock.instant().plusSeconds(60)))
                .orElseThrow().plaintext();
        tokens.revoke("acme", idOf(revoked));

        assertInstanceOf(Verification.Invalid.class, tokens.verify(TokenHash.of("kg_unknown")));
        assertInstanceOf(Verification.Invalid.class, tokens.verify(TokenHash.of(revoked)));
        assertInstanceOf(Verification.Valid.class, tokens.verify(TokenHash.of(expiring)));
        clock.advance(Duration.ofSeconds(60));
        assertInstanceOf(Verification.Expired.class, tokens.verify(TokenHash.of(expiring)));

        String other = tokens.issue("acme", details("o", Set.of("read"), null)).orElseThrow().plaintext();
        tenants.update("acme", new TenantChanges(null, false, false, null));
        assertInstanceOf(Verification.Invalid.class, tokens.verify(TokenHash.of(other)));
        tenants.update("acme", new TenantChanges(null, true, false, null));
        assertInstanceOf(Verification.Valid.class, tokens.verify(TokenHash.of(other)));
    }

    @Test
    void revokeKeepsTheTokenListedAndIsIdempotent() {
        String id = idOf(tokens.issue("acme", details("a", Set.of("write"), null)).orElseThrow().plaintext());
        Instant first = tokens.revoke("acme", id).orElseThrow().getRevokedAt();
        clock.advance(Duration.ofSeconds(5));
        assertEquals(first, tokens.revoke("acme", id).orElseThrow().getRevokedAt());
        assertEquals(TokenStatus.REVOKED, tokens.find("acme", id).orElseThrow().statusAt(clock.instant()));
        assertEquals(Optional.empty(), tokens.revoke("other", id), "a token is found only under its own tenant");
    }

    @Test
    void listingIsNewestFirstAndPagesWithoutGapsOrRepeats() {
        List<String> created = new ArrayList<>();
        for (int i = 0; i < 7; i++) {
            created.add(0, tokens.issue("acme", details("t" + i, Set.of("read"), null)).orElseThrow().token().getId());
            if (i % 2 == 0) {
                clock.advance(Duration.ofMillis(1)); // some tokens share a creation instant
            }
        }
        List<String> seen = new ArrayList<>();
        Cursor cursor = null;
        do {
            Page<ApiToken> page = tokens.list("acme", 3, cursor);
            page.items().forEach(t -> seen.add(t.getId()));
            cursor = page.next() == null ? null : Cursor.decode(page.next().encode()).orElseThrow();
        } while (cursor != null);
        assertEquals(7, seen.size());
        assertEquals(Set.copyOf(created), Set.copyOf(seen));
        for (int i = 1; i < seen.size(); i++) {
            ApiToken newer = tokens.find("acme", seen.get(i - 1)).orElseThrow();
            ApiToken older = tokens.find("acme", seen.get(i)).orElseThrow();
            assertFalse(newer.getCreatedAt().isBefore(older.getCreatedAt()), "newest first");
        }
    }

    @Test
    void usageIsAddedInBatches() {
        String id = tokens.issue("acme", details("u", Set.of("read"), null)).orElseThrow().token().getId();
        Instant used = clock.instant().plusSeconds(3);
        tokens.addUsage(Map.of(id, new Usage(5, used)));
        tokens.addUsage(Map.of(id, new Usage(2, used.plusSeconds(1))));
        ApiToken token = tokens.find("acme", id).orElseThrow();
        assertEquals(7, token.getUsageCount());
        assertEquals(used.plusSeconds(1), token.getLastUsedAt());
    }

    @Test
    void duplicateSlugIsAConflictAndTenantsPage() {
        assertThrows(ConflictException.class, () -> tenants.create("acme", "Again", null));
        clock.advance(Duration.ofSeconds(1));
        tenants.create("beta", "Beta", null);
        Page<Tenant> first = tenants.list(1, null);
        assertEquals("beta", first.items().get(0).getSlug());
        Page<Tenant> second = tenants.list(1, first.next());
        assertEquals("acme", second.items().get(0).getSlug());
        assertNull(second.next());
    }

    @Test
    void bootstrapAdminIsReplacedWhenItsValueChanges() {
        assertFalse(tokens.hasActiveGlobalAdmin());
        TokenDetails admin = details("boot", Set.of("admin"), null);
        tokens.putGlobalAdmin("tok_bootstrap", TokenHash.of("first-value-0123456789abcdefghijkl"), "fir", admin);
        tokens.putGlobalAdmin("tok_bootstrap", TokenHash.of("second-value-0123456789abcdefghijk"), "sec", admin);
        assertTrue(tokens.hasActiveGlobalAdmin());
        assertInstanceOf(Verification.Invalid.class, tokens.verify(TokenHash.of("first-value-0123456789abcdefghijkl")));
        ApiToken token = assertInstanceOf(Verification.Valid.class,
                tokens.verify(TokenHash.of("second-value-0123456789abcdefghijk"))).token();
        assertNull(token.getTenantSlug());
        assertNotEquals("acme", token.getTenantSlug());
    }

    @Test
    void rotationKeepsTheOldTokenForTheGraceAndNamesItsSuccessor() {
        Instant expiry = clock.instant().plusSeconds(86400);
        TokenStore.IssuedToken old = tokens.issue("acme",
                new TokenDetails("ci", "alice", Set.of("read", "write"), expiry)).orElseThrow();

        TokenStore.IssuedToken successor = tokens.rotate("acme", old.token().getId(), Duration.ofSeconds(60), null)
                .orElseThrow();

        assertEquals("ci", successor.token().getName());
        assertEquals("alice", successor.token().getOwner());
        assertEquals(Set.of("read", "write"), successor.token().getScopes());
        assertEquals(expiry, successor.token().getExpiresAt());
        ApiToken before = tokens.find("acme", old.token().getId()).orElseThrow();
        assertEquals(successor.token().getId(), before.getReplacedBy());
        assertEquals(clock.instant().plusSeconds(60), before.getExpiresAt());
        assertInstanceOf(Verification.Valid.class, tokens.verify(TokenHash.of(old.plaintext())));
        assertThrows(ConflictException.class, () -> tokens.rotate("acme", old.token().getId(), Duration.ZERO, null),
                "a replaced token is not rotated twice");
        clock.advance(Duration.ofSeconds(60));
        assertInstanceOf(Verification.Expired.class, tokens.verify(TokenHash.of(old.plaintext())));
        assertInstanceOf(Verification.Valid.class, tokens.verify(TokenHash.of(successor.plaintext())));
    }

    @Test
    void rotationWithoutGraceEndsTheOldTokenAtOnceAndRevokedTokensDoNotRotate() {
        TokenStore.IssuedToken old = tokens.issue("acme", details("a", Set.of("read"), null)).orElseThrow();
        tokens.rotate("acme", old.token().getId(), Duration.ZERO, null).orElseThrow();
        assertInstanceOf(Verification.Expired.class, tokens.verify(TokenHash.of(old.plaintext())));

        String revoked = tokens.issue("acme", details("b", Set.of("read"), null)).orElseThrow().token().getId();
        tokens.revoke("acme", revoked);
        assertThrows(ConflictException.class, () -> tokens.rotate("acme", revoked, Duration.ZERO, null));
        assertEquals(Optional.empty(), tokens.rotate("acme", "tok_missing", Duration.ZERO, null));
    }

    @Test
    void lifetimePolicyRefusesTokensThatNeverExpireOrOutliveIt() {
        tenants.update("acme", new TenantChanges(null, null, true, Duration.ofDays(90)));
        Instant inNinetyDays = clock.instant().plus(Duration.ofDays(90));

        LifetimePolicyException never = assertThrows(LifetimePolicyException.class,
                () -> tokens.issue("acme", details("n", Set.of("read"), null)));
        assertTrue(never.getMessage().contains("7776000 seconds"), never.getMessage());
        assertThrows(LifetimePolicyException.class,
                () -> tokens.issue("acme", details("late", Set.of("read"), inNinetyDays.plusSeconds(1))));
        TokenStore.IssuedToken ok = tokens.issue("acme", details("ok", Set.of("read"), inNinetyDays)).orElseThrow();

        clock.advance(Duration.ofDays(1));
        assertThrows(LifetimePolicyException.class, () -> tokens.rotate("acme", ok.token().getId(), Duration.ZERO,
                clock.instant().plus(Duration.ofDays(91))), "rotation may not extend beyond the policy either");
        assertEquals(inNinetyDays, tokens.rotate("acme", ok.token().getId(), Duration.ZERO, null).orElseThrow()
                .token().getExpiresAt(), "rotation keeps an expiry that is within the policy");

        tenants.update("acme", new TenantChanges(null, null, true, null));
        assertTrue(tokens.issue("acme", details("free", Set.of("read"), null)).isPresent(), "policy removed");
    }

    private String idOf(String plaintext) {
        return ((Verification.Valid) tokens.verify(TokenHash.of(plaintext))).token().getId();
    }

    private static TokenDetails details(String name, Set<String> scopes, Instant expiresAt) {
        return new TokenDetails(name, null, scopes, expiresAt);
    }

    /** A clock the test moves by hand. */
    static final class MutableClock extends Clock {
        private Instant now;

        MutableClock(Instant start) {
            this.now = start;
        }

        void advance(Duration duration) {
            now = now.plus(duration);
        }

        @Override
        public Instant instant() {
            return now;
        }

        @Override
        public java.time.ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }
    }
}
