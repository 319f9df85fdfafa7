package io.keygate.filter;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

class AuthenticatedRequestTest {

    private final VerifiedToken token = new VerifiedToken("acme", "tok-1", "CI", "alice",
            Set.of("write", "reports:read"), null);

    @Test
    void authenticateThenPrincipalAuthTypeAndRemoteUser() {
        AuthenticatedRequest request = AuthenticatedRequest.authenticate(FakeRequest.get("/x").build(), token);
        assertEquals("alice", request.getUserPrincipal().getName());
        assertEquals("alice", request.getRemoteUser());
        assertEquals("Bearer", request.getAuthType());
    }

    @Test
    void isUserInRoleWhenWriteThenReadImpliedAndCustomScopesExact() {
        AuthenticatedRequest request = AuthenticatedRequest.authenticate(FakeRequest.get("/x").build(), token);
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
        AuthenticatedRequest request = AuthenticatedRequest.authenticate(FakeRequest.get("/x").build(), custom);
        assertFalse(request.isUserInRole("reports:read"));
        assertFalse(request.isUserInRole("read"));
    }

    @Test
    void authenticateThenFourAttributesWithGrantedScopesOnly() {
        FakeRequest fake = FakeRequest.get("/x");
        AuthenticatedRequest request = AuthenticatedRequest.authenticate(fake.build(), token);
        assertEquals("acme", request.getAttribute("keygate.tenant"));
        assertEquals("tok-1", request.getAttribute("keygate.token.id"));
        assertEquals("CI", request.getAttribute("keygate.token.name"));
        @SuppressWarnings("unchecked")
        Set<String> scopes = (Set<String>) request.getAttribute("keygate.scopes");
        assertEquals(Set.of("write", "reports:read"), scopes);
        assertThrows(UnsupportedOperationException.class, () -> scopes.add("admin"));
        assertEquals(4, fake.attributes().size());
    }

    @Test
    void verifiedTokenWhenGrantedSetChangesAfterwardsThenUnaffected() {
        Set<String> granted = new HashSet<>(Set.of("read"));
        VerifiedToken copy = new VerifiedToken("a", "b", "c", "d", granted, null);
        granted.add("admin");
        assertEquals(Set.of("read"), copy.scopes());
    }
}
