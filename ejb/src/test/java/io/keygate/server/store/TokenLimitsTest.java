package io.keygate.server.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.keygate.token.TokenHash;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Per-token limits and PATCH-able fields: stored, changed, inherited by successors and access tokens. */
class TokenLimitsTest {

    private static final TokenLimits LIMITS = new TokenLimits(new TokenLimits.Rate(100, 60),
            List.of("203.0.113.0/24", "2001:db8::1"));

    private final StoreTest.MutableClock clock = new StoreTest.MutableClock(Instant.parse("2026-01-01T00:00:00Z"));
    private Scratch scratch;
    private Database db;
    private TokenStore tokens;
    private AccessTokens accessTokens;

    @BeforeEach
    void open() {
        scratch = TestDatabase.H2.createScratch();
        db = new Database(scratch.settings());
        new TenantStore(db, clock).create("acme", "Acme", null);
        tokens = new TokenStore(db, clock);
        accessTokens = new AccessTokens(db, clock);
    }

    @AfterEach
    void close() {
        db.close();
        scratch.close();
    }

    @Test
    void limitsAreStoredAndInheritedByTheSuccessorAndAccessTokens() {
        ApiToken token = tokens.issue("acme", new TokenDetails("ci", null, Set.of("read"), null), LIMITS)
                .orElseThrow().token();
        assertEquals(LIMITS, tokens.find("acme", token.getId()).orElseThrow().getLimits());

        TokenStore.IssuedToken access = accessTokens.issueAccessToken(token.getId(), Set.of("read"),
                Duration.ofHours(1)).orElseThrow();
        assertEquals(LIMITS, assertInstanceOf(Verification.Valid.class,
                tokens.verify(TokenHash.of(access.plaintext()))).limits(), "an access token obeys its secret's limits");
        assertEquals(TokenLimits.NONE, tokens.find("acme", access.token().getId()).orElseThrow().getLimits(),
                "read from the secret when verified, not copied into the access token's row");
        ApiToken successor = tokens.rotate("acme", token.getId(), Duration.ZERO, null).orElseThrow().successor().token();
        assertEquals(LIMITS, tokens.find("acme", successor.getId()).orElseThrow().getLimits());
    }

    @Test
    void patchChangesNameScopesAndLimitsAndNothingElse() {
        ApiToken token = tokens.issue("acme", new TokenDetails("ci", "alice", Set.of("read"), null)).orElseThrow()
                .token();

        tokens.update("acme", token.getId(), new TokenChanges("renamed", Set.of("read", "reports:read"), LIMITS));
        ApiToken changed = tokens.find("acme", token.getId()).orElseThrow();
        assertEquals("renamed", changed.getName());
        assertEquals(Set.of("read", "reports:read"), changed.getScopes());
        assertEquals(LIMITS, changed.getLimits());
        assertEquals("alice", changed.getOwner());

        tokens.update("acme", token.getId(), new TokenChanges(null, null, TokenLimits.NONE));
        ApiToken cleared = tokens.find("acme", token.getId()).orElseThrow();
        assertNull(cleared.getLimits().rate());
        assertNull(cleared.getLimits().allowedAddresses());
        assertEquals("renamed", cleared.getName(), "null fields stay as they are");
        assertEquals(Optional.empty(), tokens.update("beta", token.getId(), new TokenChanges("x", null, null)));
    }
}
