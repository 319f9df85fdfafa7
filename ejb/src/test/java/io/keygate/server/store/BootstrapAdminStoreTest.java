package io.keygate.server.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.keygate.token.TokenHash;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The bootstrap admin tokens in the store ({@link BootstrapAdmins#settleBootstrapAdmin}), each call what one server
 * does at start-up with {@code KEYGATE_ADMIN_TOKEN} set to a value or not: on H2, PostgreSQL and MariaDB, one
 * subclass each, two servers at once included.
 */
abstract class BootstrapAdminStoreTest {

    private static final String A = "first-operator-value-0123456789abcdefghijkl";
    private static final String B = "second-operator-value-0123456789abcdefghijk";
    private static final TokenDetails DETAILS = new TokenDetails("Bootstrap", null, Set.of("admin"), null);

    private final StoreTest.MutableClock clock = new StoreTest.MutableClock(Instant.parse("2026-01-01T00:00:00Z"));
    private Scratch scratch;
    private Database db;
    private TokenStore tokens;
    private BootstrapAdmins admins;

    abstract TestDatabase database();

    @BeforeEach
    void open() {
        scratch = database().createScratch();
        db = new Database(scratch.settings());
        db.connect();
        tokens = new TokenStore(db, clock);
        admins = new BootstrapAdmins(db, clock);
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

    /** One start-up with the variable set to {@code value}, or without it ({@code null}). */
    private BootstrapSettlement start(String value) {
        clock.advance(Duration.ofSeconds(1));
        return admins.settleBootstrapAdmin(value == null ? null : TokenHash.of(value),
                value == null ? null : value.substring(0, 3), DETAILS);
    }

    private static String id(String value) {
        return BootstrapAdmins.bootstrapId(TokenHash.of(value));
    }

    private static List<BootstrapSettlement.Revoked> revokedOf(String value) {
        return List.of(new BootstrapSettlement.Revoked(id(value), TokenHash.of(value)));
    }

    private boolean works(String value) {
        return tokens.verify(TokenHash.of(value)) instanceof Verification.Valid;
    }

    @Test
    void eachValueHasARowOfItsOwnAndAChangeRevokesThePreviousOneWhichStaysListed() {
        assertEquals(new BootstrapSettlement(BootstrapSettlement.Configured.ADDED, id(A), List.of()), start(A));
        assertTrue(id(A).matches("tok_[a-z0-9]{1,40}") && id(A).length() <= 40, id(A));
        assertEquals(new BootstrapSettlement(BootstrapSettlement.Configured.ACTIVE, id(A), List.of()), start(A),
                "the same value again changes nothing");

        assertEquals(new BootstrapSettlement(BootstrapSettlement.Configured.ADDED, id(B), revokedOf(A)), start(B));

        assertFalse(works(A));
        assertTrue(works(B));
        assertNotNull(tokens.find(null, id(A)).orElseThrow().getRevokedAt(), "revoked, not erased");
    }

    @Test
    void aValueRevokedByRemovalIsRefusedWhenSetAgainAfterAnother() {
        start(A);
        assertEquals(new BootstrapSettlement(BootstrapSettlement.Configured.NONE, null, revokedOf(A)), start(null));
        assertEquals(new BootstrapSettlement(BootstrapSettlement.Configured.ADDED, id(B), List.of()), start(B));

        BootstrapSettlement again = start(A);

        assertEquals(new BootstrapSettlement(BootstrapSettlement.Configured.REVOKED, id(A), revokedOf(B)), again,
                "A is refused; B, no longer configured, is revoked");
        assertFalse(works(A), "a revoked value never comes back");
        assertFalse(works(B));
        assertFalse(admins.hasActiveGlobalAdmin());
        assertEquals(new BootstrapSettlement(BootstrapSettlement.Configured.REVOKED, id(A), List.of()), start(A));
    }

    @Test
    void aValueRevokedThroughTheApiIsRefused() {
        start(A);
        tokens.revoke(null, id(A));

        assertEquals(new BootstrapSettlement(BootstrapSettlement.Configured.REVOKED, id(A), List.of()), start(A));
        assertFalse(works(A));
    }

    @Test
    void theRowOfEarlierVersionsIsReadAndRevokedWhenTheValueChanges() {
        db.inTransaction(em -> {
            em.persist(new ApiToken(BootstrapAdmins.LEGACY_BOOTSTRAP_ID, null, TokenHash.of(A), "fir", DETAILS,
                    clock.instant()));
            return null;
        });

        assertEquals(new BootstrapSettlement(BootstrapSettlement.Configured.ACTIVE, "tok_bootstrap", List.of()),
                start(A), "the value an earlier version stored still works");
        assertTrue(works(A));

        assertEquals(new BootstrapSettlement(BootstrapSettlement.Configured.ADDED, id(B),
                List.of(new BootstrapSettlement.Revoked("tok_bootstrap", TokenHash.of(A)))), start(B));
        assertEquals(BootstrapSettlement.Configured.REVOKED, start(A).configured());
        assertFalse(works(A));
    }

    @Test
    void theValueOfAnotherTokenIsRefusedWithoutFailing() {
        TokenStore.IssuedToken other = tokens.issue(null, DETAILS).orElseThrow();

        assertEquals(new BootstrapSettlement(BootstrapSettlement.Configured.OTHER_TOKEN, other.token().getId(),
                List.of()), start(other.plaintext()));
    }

    @Test
    void twoServersStartingAtOnceWithTheSameNewValueBothStartAndOneRevokesTheOldValue() {
        start(A);

        Race.Outcomes race = Race.beforeWriting(db, () -> start(B), () -> start(B));

        assertTrue(race.overlapped(), "both had read before either wrote: " + race);
        List<BootstrapSettlement.Configured> standings = new ArrayList<>();
        List<BootstrapSettlement.Revoked> revoked = new ArrayList<>();
        for (Race.Outcome outcome : race.both()) {
            assertTrue(outcome.won(), "no server fails its start: " + outcome);
            BootstrapSettlement settled = assertInstanceOf(BootstrapSettlement.class, outcome.value());
            assertEquals(id(B), settled.tokenId());
            standings.add(settled.configured());
            revoked.addAll(settled.revoked());
        }
        assertEquals(Set.of(BootstrapSettlement.Configured.ADDED, BootstrapSettlement.Configured.ACTIVE),
                Set.copyOf(standings), "one stored it, the other found it");
        assertEquals(revokedOf(A), revoked, "A's revocation is reported once");
        assertTrue(works(B));
        assertFalse(works(A));
    }

    @Test
    void twoServersRevokingAtOnceReportItOnce() {
        start(A);

        Race.Outcomes race = Race.beforeWriting(db, () -> start(null), () -> start(null));

        assertTrue(race.overlapped(), "both had read before either wrote: " + race);
        List<BootstrapSettlement.Revoked> revoked = new ArrayList<>();
        for (Race.Outcome outcome : race.both()) {
            assertTrue(outcome.won(), "no server fails its start: " + outcome);
            revoked.addAll(((BootstrapSettlement) outcome.value()).revoked());
        }
        assertEquals(revokedOf(A), revoked, "one of them changed the row; only that one reports it");
        assertFalse(works(A));
    }
}
