package io.keygate.server.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.keygate.token.TokenHash;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Access tokens issued by API secrets at the token endpoint: they never outlive or outrank their secret. */
class AccessTokenTest {

    private final StoreTest.MutableClock clock = new StoreTest.MutableClock(Instant.parse("2026-01-01T00:00:00Z"));
    private Scratch scratch;
    private Database db;
    private TokenStore tokens;
    private AccessTokens accessTokens;
    private TokenStore.IssuedToken secret;

    @BeforeEach
    void open() {
        scratch = TestDatabase.H2.createScratch();
        db = new Database(scratch.settings());
        new TenantStore(db, clock).create("acme", "Acme", null);
        tokens = new TokenStore(db, clock);
        accessTokens = new AccessTokens(db, clock);
        secret = tokens.issue("acme", new TokenDetails("ci", "alice", Set.of("read", "write"),
                clock.instant().plus(Duration.ofMinutes(30)))).orElseThrow();
    }

    @AfterEach
    void close() {
        db.close();
        scratch.close();
    }

    @Test
    void accessTokenCarriesTheSecretsIdentityAndNeverOutlivesIt() {
        ApiToken access = accessTokens.issueAccessToken(secret.token().getId(), Set.of("read"), Duration.ofHours(1))
                .orElseThrow().token();

        assertEquals("acme", access.getTenantSlug());
        assertEquals("alice", access.getOwner());
        assertEquals(Set.of("read"), access.getScopes());
        assertEquals(secret.token().getId(), access.getParentId());
        assertEquals(secret.token().getExpiresAt(), access.getExpiresAt(), "capped at the secret's expiry");
        assertEquals(1, accessTokens.listIssuedBy(secret.token().getId(), 10, null).items().size());
        assertTrue(tokens.list("acme", 10, null).items().stream().noneMatch(t -> t.getParentId() != null),
                "the tenant's listing shows the tokens admins created");
    }

    @Test
    void revokingTheSecretRevokesItsAccessTokens() {
        TokenStore.IssuedToken access = accessTokens.issueAccessToken(secret.token().getId(), Set.of("read"),
                Duration.ofMinutes(10)).orElseThrow();

        tokens.revoke("acme", secret.token().getId());

        assertInstanceOf(Verification.Invalid.class, tokens.verify(TokenHash.of(access.plaintext())));
        assertEquals(Optional.empty(), accessTokens.issueAccessToken(secret.token().getId(), Set.of("read"),
                Duration.ofMinutes(10)), "a revoked secret issues nothing");
    }

    @Test
    void rotatingTheSecretEndsItsAccessTokensWithTheGrace() {
        TokenStore.IssuedToken access = accessTokens.issueAccessToken(secret.token().getId(), Set.of("read"),
                Duration.ofMinutes(10)).orElseThrow();

        tokens.rotate("acme", secret.token().getId(), Duration.ofMinutes(1), null);

        assertInstanceOf(Verification.Valid.class, tokens.verify(TokenHash.of(access.plaintext())));
        clock.advance(Duration.ofMinutes(1));
        assertInstanceOf(Verification.Expired.class, tokens.verify(TokenHash.of(access.plaintext())));
    }

    @Test
    void revokeByHashKillsATokenItsFinderHolds() {
        assertTrue(tokens.revokeByHash(TokenHash.of(secret.plaintext())).orElseThrow().changed());
        assertInstanceOf(Verification.Invalid.class, tokens.verify(TokenHash.of(secret.plaintext())));
        assertFalse(tokens.revokeByHash(TokenHash.of(secret.plaintext())).orElseThrow().changed(),
                "a revoked token found again revokes nothing: the revocation endpoint counts it as a failure");
        assertEquals(Optional.empty(), tokens.revokeByHash(TokenHash.of("kg_unknown")));
    }
}
