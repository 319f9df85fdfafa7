package io.keygate.filter;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.keygate.testing.FakeRequest;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

class AuthenticatedRequestTest {

    private final VerifiedToken token = new VerifiedToken("acme", "tok-1", "CI", "alice",
            Set.of("write", "reports:read"), null);

    private static AuthenticatedRequest authenticate(FakeRequest request, VerifiedToken token) {
        return AuthenticatedRequest.authenticate(request.build(), new VerificationResult.Valid(token));
    }

    @Test
    void authenticateThenPrincipalAuthTypeAndRemoteUser() {
        AuthenticatedRequest request = authenticate(FakeRequest.get("/x"), token);
        assertEquals("alice", request.getUserPrincipal().getName());
        assertEquals("alice", request.getRemoteUser());
        assertEquals("Bearer", request.getAuthType());
    }

    @Test
    void isUserInRoleWhenWriteThenReadImpliedAndCustomScopesExact() {
        AuthenticatedRequest request = authenticate(FakeRequest.get("/x"), token);
        assertTrue(request.isUserInRole("write"));
        assertTrue(request.isUserInRole("read"));
        assertTrue(request.isUserInRole("reports:read"));
        assertTrue(request.isUserInRole("**"));
        assertFalse(request.isUserInRole("reports:write"));
        assertFalse(request.isUserInRole("admin"));
        assertFalse(request.isUserInRole(null));
    }

    @Test
    void isUserInRoleWhenCustomWriteThenNoCustomReadImplied() {
        VerifiedToken custom = new VerifiedToken("acme", "t", "n", "n", Set.of("reports:write"), null);
        AuthenticatedRequest request = authenticate(FakeRequest.get("/x"), custom);
        assertFalse(request.isUserInRole("reports:read"));
        assertFalse(request.isUserInRole("read"));
    }

    @Test
    void authenticateThenFiveAttributesWithGrantedScopesOnly() {
        FakeRequest fake = FakeRequest.get("/x");
        AuthenticatedRequest request = authenticate(fake, token);
        assertEquals("acme", request.getAttribute("keygate.tenant"));
        assertEquals("tok-1", request.getAttribute("keygate.token.id"));
        assertEquals("CI", request.getAttribute("keygate.token.name"));
        @SuppressWarnings("unchecked")
        Set<String> scopes = (Set<String>) request.getAttribute("keygate.scopes");
        assertEquals(Set.of("write", "reports:read"), scopes);
        assertThrows(UnsupportedOperationException.class, () -> scopes.add("admin"));
        assertEquals("acme/alice", request.getAttribute("keygate.subject"));
        assertEquals(5, fake.attributes().size());
    }

    @Test
    void theSameOwnerInAnotherTenantThenTheSameNameButAnotherSubjectAndPrincipal() {
        VerifiedToken impostor = new VerifiedToken("evil", "tok-9", "CI", "alice", Set.of("write"), null);
        FakeRequest acme = FakeRequest.get("/x");
        FakeRequest evil = FakeRequest.get("/x");
        AuthenticatedRequest real = authenticate(acme, token);
        AuthenticatedRequest other = authenticate(evil, impostor);

        assertEquals(real.getUserPrincipal().getName(), other.getUserPrincipal().getName(),
                "the name is the owner as written, in every tenant, as documented");
        assertEquals("acme/alice", acme.attributes().get(AuthenticatedRequest.SUBJECT));
        assertEquals("evil/alice", evil.attributes().get(AuthenticatedRequest.SUBJECT));
        assertNotEquals(real.getUserPrincipal(), other.getUserPrincipal(), "principals of two tenants are not equal");
        assertEquals("evil", ((KeygatePrincipal) other.getUserPrincipal()).tenant());
        assertEquals("evil/alice", ((KeygatePrincipal) other.getUserPrincipal()).subject());
    }

    @Test
    void aCachedVerdictHandsEveryRequestTheSamePrincipalAndSubject() {
        VerificationResult.Valid verdict = new VerificationResult.Valid(token);
        FakeRequest first = FakeRequest.get("/x");
        FakeRequest second = FakeRequest.get("/x");
        AuthenticatedRequest one = AuthenticatedRequest.authenticate(first.build(), verdict);
        AuthenticatedRequest two = AuthenticatedRequest.authenticate(second.build(), verdict);

        assertSame(one.getUserPrincipal(), two.getUserPrincipal(), "made once per verdict, not per request");
        assertSame(first.attributes().get(AuthenticatedRequest.SUBJECT),
                second.attributes().get(AuthenticatedRequest.SUBJECT));
    }

    @Test
    void principalWithoutATenantThenRefused() {
        assertThrows(NullPointerException.class, () -> new KeygatePrincipal("alice", null));
    }

    @Test
    void verifiedTokenWhenGrantedSetChangesAfterwardsThenUnaffected() {
        Set<String> granted = new HashSet<>(Set.of("read"));
        VerifiedToken copy = new VerifiedToken("a", "b", "c", "d", granted, null);
        granted.add("admin");
        assertEquals(Set.of("read"), copy.scopes());
    }
}
