package io.keygate.filter;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

class RequestPathTest {

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource({
        "/api/x, /api/x",
        "'', /",
        "/, /",
        "/public/../api/x, /api/x",
        "/public/./status, /public/status",
        "/public;x=y/status, /public/status",
        "/public/status;jsessionid=1, /public/status",
        "/public/..;x=y/api/x, /api/x",
        "//public/status, /public/status",
        "/public//status/, /public/status",
        "/api/x/, /api/x",
        "/a/b/../../c, /c",
        "/..., /...",
        "/;x/a, /a"
    })
    void normaliseThenCanonical(String raw, String expected) {
        assertEquals(new RequestPath(expected), RequestPath.normalise(raw));
    }

    @ParameterizedTest
    @ValueSource(strings = {"/..", "/../public/status", "/public/../../x", "/a/..;/../b",
        "/public/%2e%2e/api/x", "/public/%2E%2E/api", "/public%2fstatus", "/public/%252e", "/public\\..\\api",
        "/public/\u0000/x", "/public/\n", "relative/path"})
    void normaliseWhenTrickThenUnsafe(String raw) {
        RequestPath path = RequestPath.normalise(raw);
        assertSame(RequestPath.UNSAFE, path);
        assertFalse(path.isSafe());
    }

    @Test
    void ofWhenServletPathAndPathInfoThenJoined() {
        assertEquals(new RequestPath("/api/whoami"), RequestPath.of("/api", "/whoami"));
        assertEquals(new RequestPath("/public/status"), RequestPath.of("/public/status", null));
        assertEquals(new RequestPath("/x"), RequestPath.of(null, "/x"));
        assertEquals(new RequestPath("/"), RequestPath.of(null, null));
    }
}
