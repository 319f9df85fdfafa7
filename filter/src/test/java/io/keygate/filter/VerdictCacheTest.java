package io.keygate.filter;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;

import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class VerdictCacheTest {

    private static final long NOW = 1_700_000_000_000L;
    private static final String A = "a".repeat(64);
    private static final String B = "b".repeat(64);
    private static final String C = "c".repeat(64);

    private final VerdictCache cache = new VerdictCache(new CacheSettings(100, 60_000, 30_000));

    private static VerificationResult.Valid valid(String tenant, Long expiresAt) {
        return new VerificationResult.Valid(new VerifiedToken(tenant, "tok-" + tenant, "name", "alice",
                Set.of("read"), expiresAt));
    }

    @Test
    void validVerdictKeptForTheTtl() {
        VerificationResult.Valid ok = valid("acme", null);
        cache.remember(A, ok, NOW);
        assertSame(ok, cache.lookup(A, NOW + 59_999));
        assertNull(cache.lookup(A, NOW + 60_000));
    }

    @Test
    void validVerdictNeverOutlivesTheTokensExpiry() {
        cache.remember(A, valid("acme", NOW + 5_000), NOW);
        assertInstanceOf(VerificationResult.Valid.class, cache.lookup(A, NOW + 4_999));
        assertNull(cache.lookup(A, NOW + 5_000));
        cache.remember(B, valid("acme", NOW - 1), NOW);
        assertNull(cache.lookup(B, NOW), "an already expired token is not kept at all");
    }

    @Test
    void refusalsKeptForTheNegativeTtlAndUnavailableNever() {
        cache.remember(A, new VerificationResult.Invalid(), NOW);
        cache.remember(B, new VerificationResult.Expired(), NOW);
        cache.remember(C, new VerificationResult.Unavailable(), NOW);
        assertInstanceOf(VerificationResult.Invalid.class, cache.lookup(A, NOW + 29_999));
        assertInstanceOf(VerificationResult.Expired.class, cache.lookup(B, NOW + 29_999));
        assertNull(cache.lookup(C, NOW));
        assertNull(cache.lookup(A, NOW + 30_000));
    }

    @Test
    void forgetDropsChangedTokensTenantsAndEveryRefusal() {
        cache.remember(A, valid("acme", null), NOW);
        cache.remember(B, valid("globex", null), NOW);
        cache.remember(C, valid("initech", null), NOW);
        cache.remember("d".repeat(64), new VerificationResult.Invalid(), NOW);

        cache.forget(List.of(A), List.of("globex"), List.of());

        assertNull(cache.lookup(A, NOW));
        assertNull(cache.lookup(B, NOW));
        assertInstanceOf(VerificationResult.Valid.class, cache.lookup(C, NOW));
        assertNull(cache.lookup("d".repeat(64), NOW), "a refusal may have been a tenant switched off");
    }

    @Test
    void forgetASecretDropsItAndEveryAccessTokenItIssuedButNoOtherToken() {
        String secretHash = "5".repeat(64);
        cache.remember(secretHash, valid("acme", "tok-secret", null), NOW);
        cache.remember(A, valid("acme", "tok-access-1", "tok-secret"), NOW);
        cache.remember(B, valid("acme", "tok-access-2", "tok-secret"), NOW);
        cache.remember(C, valid("acme", "tok-access-3", "tok-other-secret"), NOW);
        cache.remember("d".repeat(64), valid("acme", "tok-plain", null), NOW);

        cache.forget(List.of(), List.of(), List.of("tok-secret"));

        assertNull(cache.lookup(secretHash, NOW), "the secret itself, by its id");
        assertNull(cache.lookup(A, NOW), "its access tokens, by their parent");
        assertNull(cache.lookup(B, NOW));
        assertInstanceOf(VerificationResult.Valid.class, cache.lookup(C, NOW), "another secret's access token");
        assertInstanceOf(VerificationResult.Valid.class, cache.lookup("d".repeat(64), NOW));
        assertEquals(2, cache.validEntries());
    }

    private static VerificationResult.Valid valid(String tenant, String tokenId, String parentId) {
        return new VerificationResult.Valid(new VerifiedToken(tenant, tokenId, "name", "alice", Set.of("read"),
                null, null, null, parentId));
    }

    @Test
    void floodOfRefusalsCannotPushOutValidTokens() {
        VerdictCache small = new VerdictCache(new CacheSettings(10, 60_000, 30_000));
        small.remember(A, valid("acme", null), NOW);
        for (int i = 0; i < 1000; i++) {
            small.remember(String.format("%064d", i), new VerificationResult.Invalid(), NOW);
        }
        assertInstanceOf(VerificationResult.Valid.class, small.lookup(A, NOW));
        assertEquals(10, small.refusedEntries());
        assertEquals(1, small.validEntries());
    }

    @Test
    void zeroTtlsKeepNothingOfThatKind() {
        VerdictCache noNegative = new VerdictCache(new CacheSettings(10, 60_000, 0));
        noNegative.remember(A, new VerificationResult.Invalid(), NOW);
        noNegative.remember(B, valid("acme", null), NOW);
        assertNull(noNegative.lookup(A, NOW));
        assertInstanceOf(VerificationResult.Valid.class, noNegative.lookup(B, NOW));
        VerdictCache noPositive = new VerdictCache(new CacheSettings(10, 0, 30_000));
        noPositive.remember(B, valid("acme", null), NOW);
        assertNull(noPositive.lookup(B, NOW));
    }
}
