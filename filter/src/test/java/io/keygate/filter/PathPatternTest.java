package io.keygate.filter;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class PathPatternTest {

    @ParameterizedTest(name = "{0} vs {1}: {2}")
    @CsvSource({
        "/health, /health, true",
        "/health, /health/, true",
        "/health, /healthz, false",
        "/health, /health/x, false",
        "/, /, true",
        "/, /x, false",
        "/open/*, /open/a, true",
        "/open/*, /open/a/, true",
        "/open/*, /open, false",
        "/open/*, /open/a/b, false",
        "/open/*, /opener/a, false",
        "/*, /a, true",
        "/*, /, false",
        "/*, /a/b, false",
        "/open/**, /open, true",
        "/open/**, /open/a, true",
        "/open/**, /open/a/b/c, true",
        "/open/**, /opener, false",
        "/open/**, /, false",
        "/**, /, true",
        "/**, /anything/at/all, true"
    })
    void matchesThenDocumentedSemantics(String pattern, String path, boolean expected) {
        assertEquals(expected, PathPattern.parse(pattern).matches(RequestPath.normalise(path)));
    }

    @Test
    void matchesWhenTrickPathsThenOnlyTheirNormalisedForm() {
        PathPattern open = PathPattern.parse("/public/*");
        assertEquals(false, open.matches(RequestPath.normalise("/public/../api/x")));
        assertEquals(true, open.matches(RequestPath.normalise("/public;x=y/status")));
        assertEquals(true, open.matches(RequestPath.normalise("//public/status")));
        assertEquals(false, open.matches(RequestPath.normalise("/public/%2e%2e")));
    }

    @Test
    void matchesWhenUnsafeThenNeverEvenForEverything() {
        assertEquals(false, PathPattern.parse("/**").matches(RequestPath.UNSAFE));
        assertEquals(false, PathPattern.parse("/*").matches(RequestPath.UNSAFE));
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "public/*", "/public/", "/a*", "/a/*/b", "/a/***", "/a/b*", "//a", "/a/../b",
        "/a/./b", "/a;x", "/a%2e", "/a b", "/a\\b", "//**"})
    void parseWhenInvalidThenRefused(String pattern) {
        assertThrows(IllegalArgumentException.class, () -> PathPattern.parse(pattern));
    }
}
