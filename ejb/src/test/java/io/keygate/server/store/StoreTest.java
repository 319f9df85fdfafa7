package io.keygate.server.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.keygate.token.TokenHash;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The store against a real database through the real provider (EclipseLink, as on Payara), without a server:
 * the same tests on H2, PostgreSQL and MariaDB, one subclass each ({@link H2StoreTest}, {@link PostgreSqlStoreTest},
 * {@link MariaDbStoreTest}). Each test gets a fresh, empty schema of its own ({@link TestDatabase#createScratch()}),
 * which Keygate fills as it does at start-up.
 */
abstract class StoreTest {

    /** Where the documented DDL lives; surefire runs in the module's folder. */
    private static final Path SCHEMA_DOCS = Path.of(System.getProperty("basedir", "."), "..", "docs", "schema");

    private final MutableClock clock = new MutableClock(Instant.parse("2026-01-01T00:00:00Z"));
    private Scratch scratch;
    private Database db;
    private TenantStore tenants;
    private TokenStore tokens;
    private AccessTokens accessTokens;

    /** The database the subclass runs the tests on. */
    abstract TestDatabase database();

    @BeforeEach
    void open() {
        scratch = database().createScratch();
        openStore();
        tenants.create("acme", "Acme Inc", null);
    }

    private void openStore() {
        db = new Database(scratch.settings());
        db.connect();
        tenants = new TenantStore(db, clock);
        tokens = new TokenStore(db, clock);
        accessTokens = new AccessTokens(db, clock);
    }

    @AfterEach
    void close() {
        if (db != null) {
            db.close();
        }
        if (scratch != null) {
            scratch.close();
        }
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
    void purgeDeletesOnlyAccessTokensExpiredBeforeTheCutoff() {
        ApiToken secret = tokens.issue("acme", details("secret", Set.of("read"), clock.instant().plusSeconds(60)))
                .orElseThrow().token();
        String old = accessTokens.issueAccessToken(secret.getId(), Set.of("read"), Duration.ofSeconds(10))
                .orElseThrow().plaintext();
        clock.advance(Duration.ofSeconds(30));
        String fresh = accessTokens.issueAccessToken(secret.getId(), Set.of("read"), Duration.ofSeconds(10))
                .orElseThrow().plaintext();
        clock.advance(Duration.ofSeconds(60)); // everything has expired now, the secret included

        assertEquals(1, accessTokens.purgeExpiredAccessTokens(clock.instant().minusSeconds(60)));

        assertInstanceOf(Verification.Invalid.class, tokens.verify(TokenHash.of(old)), "deleted");
        assertInstanceOf(Verification.Expired.class, tokens.verify(TokenHash.of(fresh)), "expired after the cutoff");
        assertTrue(tokens.find("acme", secret.getId()).isPresent(), "an expired secret stays listed");
    }

    @Test
    void unknownRevokedAndDisabledTenantAreInvalidExpiredIsExpired() {
        String revoked = tokens.issue("acme", details("r", Set.of("read"), null)).orElseThrow().plaintext();
        String expiring = tokens.issue("acme", details("e", Set.of("read"), clock.instant().plusSeconds(60)))
                .orElseThrow().plaintext();
        tokens.revoke("acme", idOf(revoked));

        assertEquals(Verification.INVALID, tokens.verify(TokenHash.of("kg_unknown")));
        assertEquals(Verification.REVOKED, tokens.verify(TokenHash.of(revoked)), "invalid, revoked for the metrics");
        assertInstanceOf(Verification.Valid.class, tokens.verify(TokenHash.of(expiring)));
        clock.advance(Duration.ofSeconds(60));
        assertInstanceOf(Verification.Expired.class, tokens.verify(TokenHash.of(expiring)));

        String other = tokens.issue("acme", details("o", Set.of("read"), null)).orElseThrow().plaintext();
        tenants.update("acme", new TenantChanges(null, false, false, null));
        assertEquals(Verification.INVALID, tokens.verify(TokenHash.of(other)), "switched off is not revoked");
        tenants.update("acme", new TenantChanges(null, true, false, null));
        assertInstanceOf(Verification.Valid.class, tokens.verify(TokenHash.of(other)));
    }

    @Test
    void liveTokensPerTenantCountWhatWorksNowAndNoAccessToken() {
        tenants.create("empty", "Nobody's tokens yet", null);
        String revoked = tokens.issue("acme", details("r", Set.of("read"), null)).orElseThrow().plaintext();
        tokens.revoke("acme", idOf(revoked));
        tokens.issue("acme", details("expiring", Set.of("read"), clock.instant().plusSeconds(60))).orElseThrow();
        ApiToken secret = tokens.issue("acme", details("secret", Set.of("read"), null)).orElseThrow().token();
        accessTokens.issueAccessToken(secret.getId(), Set.of("read"), Duration.ofSeconds(600)).orElseThrow();
        LiveTokens live = new LiveTokens(db, clock);

        assertEquals(Map.of("acme", 2L, "empty", 0L), live.perTenant());
        clock.advance(Duration.ofSeconds(60));
        assertEquals(Map.of("acme", 1L, "empty", 0L), live.perTenant(), "the expired one is no longer live");
    }

    @Test
    void revokeKeepsTheTokenListedAndIsIdempotent() {
        String id = idOf(tokens.issue("acme", details("a", Set.of("write"), null)).orElseThrow().plaintext());
        TokenStore.Revocation first = tokens.revoke("acme", id).orElseThrow();
        clock.advance(Duration.ofSeconds(5));
        TokenStore.Revocation again = tokens.revoke("acme", id).orElseThrow();
        assertEquals(first.token().getRevokedAt(), again.token().getRevokedAt());
        assertEquals(List.of(true, false), List.of(first.changed(), again.changed()),
                "revoking twice reports one change: the second has nothing to publish");
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

    /**
     * A status filter is the listing's {@code status} field in the query: revoked whatever its expiry, expired from
     * the very instant of {@code expiresAt} (and when a rotation's grace ends), active before; and its pages carry
     * on within the filter, full and without repeats.
     */
    @Test
    void listingByStatusPagesWithinTheFilter() {
        Instant soon = clock.instant().plusSeconds(60);
        Map<TokenStatus, List<String>> expected = new java.util.EnumMap<>(TokenStatus.class);
        for (TokenStatus status : TokenStatus.values()) {
            expected.put(status, new ArrayList<>());
        }
        for (int i = 0; i < 12; i++) {
            Instant expiresAt = i % 3 == 1 ? soon : null;
            String id = tokens.issue("acme", details("t" + i, Set.of("read"), expiresAt)).orElseThrow().token().getId();
            TokenStatus status = i % 3 == 1 ? TokenStatus.EXPIRED : TokenStatus.ACTIVE;
            if (i % 4 == 0) {
                tokens.revoke("acme", id);
                status = TokenStatus.REVOKED;
            }
            expected.get(status).add(0, id);
            clock.advance(Duration.ofMillis(1));
        }
        String graceEnded = expected.get(TokenStatus.ACTIVE).remove(0);
        String successor = tokens.rotate("acme", graceEnded, Duration.ofSeconds(30), null).orElseThrow()
                .successor().token().getId();
        expected.get(TokenStatus.ACTIVE).add(0, successor);
        assertEquals(List.of(), walk(TokenStatus.EXPIRED, 2), "nothing expired yet");
        assertTrue(walk(TokenStatus.ACTIVE, 2).contains(graceEnded), "active within its grace");

        clock.advance(Duration.between(clock.instant(), soon)); // exactly at expiresAt: expired, as statusAt says
        List<String> expired = new ArrayList<>(expected.get(TokenStatus.EXPIRED));
        expired.add(0, graceEnded);
        expired.sort(Comparator.comparing((String id) -> tokens.find("acme", id).orElseThrow().getCreatedAt())
                .reversed());
        expected.put(TokenStatus.EXPIRED, expired);

        for (TokenStatus status : TokenStatus.values()) {
            assertEquals(expected.get(status), walk(status, 2), status + ", newest first, each once");
            walk(status, 2).forEach(id -> assertEquals(status,
                    tokens.find("acme", id).orElseThrow().statusAt(clock.instant()), id));
        }
        assertEquals(13, walk(null, 5).size(), "no filter: every token");
        Page<ApiToken> first = tokens.list("acme", 2, null, TokenStatus.REVOKED);
        assertEquals(2, first.items().size(), "a filtered page is full");
        assertEquals(List.of(expected.get(TokenStatus.REVOKED).get(2)),
                tokens.list("acme", 2, first.next(), TokenStatus.REVOKED).items().stream().map(ApiToken::getId)
                        .toList(), "the next page goes on within the filter");
        assertEquals(List.of(), tokens.list("other", 2, null, TokenStatus.REVOKED).items(), "per tenant");
    }

    /** Every token of {@code status} (all when null), page by page of {@code limit}. */
    private List<String> walk(TokenStatus status, int limit) {
        List<String> seen = new ArrayList<>();
        Cursor cursor = null;
        do {
            Page<ApiToken> page = tokens.list("acme", limit, cursor, status);
            assertTrue(page.items().size() == limit || page.next() == null, "only the last page is short");
            page.items().forEach(t -> seen.add(t.getId()));
            cursor = page.next() == null ? null : Cursor.decode(page.next().encode()).orElseThrow();
        } while (cursor != null && seen.size() < 100);
        return seen;
    }

    @Test
    void usageIsAddedInBatches() {
        String id = tokens.issue("acme", details("u", Set.of("read"), null)).orElseThrow().token().getId();
        Instant used = clock.instant().plusSeconds(3);
        new UsageWrites(db).add(Map.of(id, new Usage(5, used)));
        new UsageWrites(db).add(Map.of(id, new Usage(2, used.plusSeconds(1))));
        ApiToken token = tokens.find("acme", id).orElseThrow();
        assertEquals(7, token.getUsageCount());
        assertEquals(used.plusSeconds(1), token.getLastUsedAt());
    }

    /**
     * Counting uses is no admin change: a change of the token made while its uses are written wins, as it would
     * without them (a busy token is written every couple of seconds, and its admin must not get a 409 for that).
     */
    @Test
    void aChangeWhileUsesAreWrittenSucceedsAndBothAreKept() {
        String id = tokens.issue("acme", details("busy", Set.of("read"), null)).orElseThrow().token().getId();
        Instant used = clock.instant().plusSeconds(3);

        Race.Outcomes race = Race.beforeWriting(db,
                () -> tokens.update("acme", id, new TokenChanges("renamed", null, null)),
                () -> {
                    new UsageWrites(db).add(Map.of(id, new Usage(4, used)));
                    return null;
                });

        assertTrue(race.overlapped(), "both read before either wrote");
        assertTrue(race.first().won(), () -> "the change: " + race.first().failure());
        assertTrue(race.second().won(), () -> "the uses: " + race.second().failure());
        ApiToken token = tokens.find("acme", id).orElseThrow();
        assertEquals("renamed", token.getName());
        assertEquals(4, token.getUsageCount());
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
    void rotationKeepsTheOldTokenForTheGraceAndNamesItsSuccessor() {
        Instant expiry = clock.instant().plusSeconds(86400);
        TokenStore.IssuedToken old = tokens.issue("acme",
                new TokenDetails("ci", "alice", Set.of("read", "write"), expiry)).orElseThrow();

        TokenStore.IssuedToken successor = tokens.rotate("acme", old.token().getId(), Duration.ofSeconds(60), null)
                .orElseThrow().successor();

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
                .successor().token().getExpiresAt(), "rotation keeps an expiry that is within the policy");

        tenants.update("acme", new TenantChanges(null, null, true, null));
        assertTrue(tokens.issue("acme", details("free", Set.of("read"), null)).isPresent(), "policy removed");
    }

    @Test
    void tokensSurviveReopeningTheStore() {
        String plaintext = tokens.issue("acme", details("kept", Set.of("read"), null)).orElseThrow().plaintext();
        db.close();

        openStore();

        assertInstanceOf(Verification.Valid.class, tokens.verify(TokenHash.of(plaintext)));
        assertEquals("Acme Inc", tenants.find("acme").orElseThrow().getName());
    }

    @Test
    void listingPagesThroughManyTokensInCreationOrderWithTiesBrokenById() {
        List<ApiToken> all = new ArrayList<>();
        db.inTransaction(em -> {
            for (int i = 0; i < 230; i++) {
                // Ten tokens per millisecond, so every page boundary falls among equal creation instants.
                ApiToken token = new ApiToken(String.format("tok_%024x", (i * 7919L) % 230), "acme",
                        TokenHash.of("bulk-" + i), "kg_bulk", details("bulk" + i, Set.of("read"), null),
                        clock.instant().plusMillis(i / 10));
                em.persist(token);
                all.add(token);
            }
            return null;
        });
        all.sort(Comparator.comparing(ApiToken::getCreatedAt).thenComparing(ApiToken::getId).reversed());

        List<String> seen = new ArrayList<>();
        Cursor cursor = null;
        do {
            Page<ApiToken> page = tokens.list("acme", 50, cursor);
            assertTrue(page.items().size() <= 50);
            page.items().forEach(t -> seen.add(t.getId()));
            cursor = page.next();
        } while (cursor != null);

        assertEquals(all.stream().map(ApiToken::getId).toList(), seen);
    }

    // ---- two admins at once: one consistent result, the loser gets a conflict (409), never a fault (503/500)

    @Test
    void twoRotationsOfOneTokenAtOnceLeaveExactlyOneSuccessor() {
        TokenStore.IssuedToken old = tokens.issue("acme", details("ci", Set.of("read"), null)).orElseThrow();
        String id = old.token().getId();

        Object won = Race.beforeWriting(db,
                () -> tokens.rotate("acme", id, Duration.ofSeconds(60), null),
                () -> tokens.rotate("acme", id, Duration.ofSeconds(60), null)).oneWinsOtherConflicts();

        TokenStore.IssuedToken successor = ((Optional<?>) won).map(Rotation.class::cast).orElseThrow().successor();
        assertEquals(successor.token().getId(), tokens.find("acme", id).orElseThrow().getReplacedBy());
        assertEquals(Set.of(id, successor.token().getId()), idsOf(tokens.list("acme", 100, null)),
                "the loser's successor was rolled back");
        assertInstanceOf(Verification.Valid.class, tokens.verify(TokenHash.of(successor.plaintext())));
    }

    @Test
    void aRevocationRacingARotationAlwaysRevokesAndLeavesNoHalfRotation() {
        TokenStore.IssuedToken old = tokens.issue("acme", details("ci", Set.of("read"), null)).orElseThrow();
        String id = old.token().getId();

        Race.Outcomes race = Race.beforeWriting(db,
                () -> tokens.revoke("acme", id),
                () -> tokens.rotate("acme", id, Duration.ofSeconds(60), null));

        assertTrue(race.overlapped(), "both read the token before either wrote");
        // Either order is consistent. Revocation first: the rotation read a token that is no longer current and
        // loses with 409. Rotation first: the revocation follows it, and the successor lives on.
        assertTrue(race.first().won(), () -> "revoking always succeeds: " + race.first().failure());
        assertInstanceOf(Verification.Invalid.class, tokens.verify(TokenHash.of(old.plaintext())));
        ApiToken revoked = tokens.find("acme", id).orElseThrow();
        assertEquals(TokenStatus.REVOKED, revoked.statusAt(clock.instant()));
        if (race.second().won()) {
            TokenStore.IssuedToken successor = ((Optional<?>) race.second().value())
                    .map(Rotation.class::cast).orElseThrow().successor();
            assertEquals(successor.token().getId(), revoked.getReplacedBy());
            assertInstanceOf(Verification.Valid.class, tokens.verify(TokenHash.of(successor.plaintext())));
            assertEquals(Set.of(id, successor.token().getId()), idsOf(tokens.list("acme", 100, null)));
        } else {
            assertInstanceOf(ConflictException.class, race.second().failure());
            assertNull(revoked.getReplacedBy());
            assertEquals(Set.of(id), idsOf(tokens.list("acme", 100, null)), "no successor was left behind");
        }
    }

    @Test
    void aRevocationAfterARotationRevokesTheOldTokenAndKeepsTheSuccessor() {
        TokenStore.IssuedToken old = tokens.issue("acme", details("ci", Set.of("read"), null)).orElseThrow();
        TokenStore.IssuedToken successor = tokens.rotate("acme", old.token().getId(), Duration.ofSeconds(60), null)
                .orElseThrow().successor();

        tokens.revoke("acme", old.token().getId()).orElseThrow();

        assertInstanceOf(Verification.Invalid.class, tokens.verify(TokenHash.of(old.plaintext())));
        assertInstanceOf(Verification.Valid.class, tokens.verify(TokenHash.of(successor.plaintext())));
    }

    @Test
    void twoRevocationsAtOnceBothSucceedAndKeepOneInstant() {
        String id = tokens.issue("acme", details("ci", Set.of("read"), null)).orElseThrow().token().getId();

        Race.Outcomes race = Race.atStart(() -> tokens.revoke("acme", id), () -> tokens.revoke("acme", id));

        int changed = 0;
        for (Race.Outcome outcome : race.both()) {
            assertTrue(outcome.won(), () -> "revoking is idempotent, even at the same moment: " + outcome.failure());
            TokenStore.Revocation revocation = ((Optional<?>) outcome.value())
                    .map(TokenStore.Revocation.class::cast).orElseThrow();
            assertEquals(clock.instant(), revocation.token().getRevokedAt());
            changed += revocation.changed() ? 1 : 0;
        }
        assertEquals(1, changed, "one of the two revoked it: only that one publishes, logs and audits");
    }

    @Test
    void twoAdminsCreatingOneSlugAtOnceGetOneTenantAndOneConflict() {
        Object won = Race.beforeWriting(db,
                () -> tenants.create("globex", "Globex by the first admin", null),
                () -> tenants.create("globex", "Globex by the second admin", null)).oneWinsOtherConflicts();

        assertEquals(((Tenant) won).getName(), tenants.find("globex").orElseThrow().getName());
    }

    // ---- the schema: what JPA generates is what docs/schema/<database>.sql creates

    @Test
    void documentedSchemaIsTheOneKeygateCreates() throws SQLException {
        String generated = catalogOf(scratch);
        assertTrue(generated.contains("INDEX KG_TOKEN.KG_TOKEN_HASH UNIQUE (TOKEN_HASH)"), generated);
        assertTrue(generated.contains("INDEX KG_TOKEN.KG_TOKEN_TENANT_CREATED (TENANT_SLUG, PARENT_ID, CREATED_AT, ID)"), generated);
        assertTrue(generated.contains("INDEX KG_TENANT.KG_TENANT_CREATED (CREATED_AT, SLUG)"), generated);

        try (Scratch byHand = database().createScratch()) {
            byHand.run(SCHEMA_DOCS.resolve(database().ddlFile));

            assertEquals(generated, catalogOf(byHand), "docs/schema/" + database().ddlFile + " differs from what"
                    + " Keygate creates on " + database().label);
        }
    }

    @Test
    void withCreateSchemaOffKeygateIssuesNoDdlAndRunsOnTheDocumentedSchema() throws SQLException {
        try (Scratch empty = database().createScratch(); Scratch byHand = database().createScratch()) {
            Map<String, String> noDdl = Map.of(StoreSettings.CREATE_SCHEMA, "false");

            try (Database none = new Database(empty.settings(noDdl))) {
                StoreUnavailableException missing = assertThrows(StoreUnavailableException.class, none::connect);
                assertTrue(missing.getMessage().contains("keygate.db.create-schema is false"), missing.getMessage());
            }
            assertEquals("", catalogOf(empty), "no table was created");

            byHand.run(SCHEMA_DOCS.resolve(database().ddlFile));
            String documented = catalogOf(byHand);
            try (Database admins = new Database(byHand.settings(noDdl))) {
                admins.connect();
                new TenantStore(admins, clock).create("acme", "Acme Inc", null);
                TokenStore store = new TokenStore(admins, clock);
                String plaintext = store.issue("acme", details("ci", Set.of("read"), null)).orElseThrow().plaintext();
                assertInstanceOf(Verification.Valid.class, store.verify(TokenHash.of(plaintext)));
            }
            assertEquals(documented, catalogOf(byHand), "Keygate changed nothing in the schema");
        }
    }

    private static String catalogOf(Scratch schema) throws SQLException {
        try (Connection connection = schema.connect()) {
            return Catalog.of(connection);
        }
    }

    private static Set<String> idsOf(Page<ApiToken> page) {
        return Set.copyOf(page.items().stream().map(ApiToken::getId).toList());
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
