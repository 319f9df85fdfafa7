package io.keygate.token;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class ScopesTest {

    @Test
    void satisfiesWhenWriteThenReadOnly() {
        assertTrue(Scopes.satisfies(Set.of("write"), "read"));
        assertTrue(Scopes.satisfies(Set.of("write"), "write"));
        assertFalse(Scopes.satisfies(Set.of("read"), "write"));
        assertFalse(Scopes.satisfies(Set.of("write"), "admin"));
        assertFalse(Scopes.satisfies(Set.of("reports:write"), "reports:read"));
    }

    @Test
    void withImpliedWhenWriteThenAddsReadAndIsUnmodifiable() {
        Set<String> effective = Scopes.withImplied(List.of("write", "reports:read"));
        assertEquals(Set.of("write", "read", "reports:read"), effective);
        assertThrows(UnsupportedOperationException.class, () -> effective.add("admin"));
    }

    @Test
    void isValidNameThenFollowsSyntax() {
        assertTrue(Scopes.isValidName("reports:read"));
        assertTrue(Scopes.isValidName("a" + "b".repeat(63)));
        assertFalse(Scopes.isValidName("a" + "b".repeat(64)));
        assertFalse(Scopes.isValidName("Read"));
        assertFalse(Scopes.isValidName("1read"));
        assertFalse(Scopes.isValidName(""));
        assertFalse(Scopes.isValidName(null));
        assertFalse(Scopes.isValidName("read write"));
    }
}
