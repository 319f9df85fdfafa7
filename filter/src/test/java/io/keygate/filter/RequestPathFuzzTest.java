package io.keygate.filter;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.keygate.config.ConfigLookup;
import jakarta.servlet.ServletException;
import java.io.File;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Assume;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;
import net.jqwik.api.statistics.Statistics;

/**
 * Property-based fuzzing of path normalisation ({@link RequestPath}) and matching ({@link PathPattern}), the
 * two things that decide whether a request is public: normalisation never throws, gives a canonical path or
 * {@link RequestPath#UNSAFE}, is idempotent and agrees with an independent normaliser; an unsafe path matches
 * no pattern; a pattern matches exactly the paths whose segments it names, never a neighbour that only shares
 * a string prefix ({@code /public/**} is not {@code /publicity}).
 */
class RequestPathFuzzTest {

    /** Segments that collide as strings ({@code a}, {@code ab}) and the tricks the README names ("no .., // or ;params"). */
    private static final String[] SEGMENTS = {"a", "ab", "b", "public", "api", "status", "", ".", "..", "..;x=1",
        ".;p", "a;jsessionid=1", ";", "...", "%2e%2e", "%2f", "a\\b", "\u0000", "\t", "\u007f", "\u00e9", "*", "**",
        "public;/..", " "};

    @Property
    void normaliseWhenAnyPathThenCanonicalOrUnsafeAndIdempotent(@ForAll("rawPaths") String raw) {
        RequestPath path = RequestPath.normalise(raw);

        if (path.isSafe()) {
            String value = path.value();
            assertTrue(value.startsWith("/"), value);
            assertTrue(value.equals("/") || !value.endsWith("/"), "trailing /: " + value);
            for (String segment : value.substring(1).split("/", -1)) {
                assertFalse(value.length() > 1 && (segment.isEmpty() || segment.equals(".") || segment.equals("..")),
                        "segment '" + segment + "' in " + value);
            }
            for (char c : value.toCharArray()) {
                assertFalse(c == ';' || c == '%' || c == '\\' || c < 0x20 || c == 0x7f, "character " + (int) c);
            }
            assertEquals(path, RequestPath.normalise(value), "idempotent");
        }
        Statistics.label("safe").collect(path.isSafe()).coverage(coverage -> {
            coverage.check(true).percentage(p -> p > 20);
            coverage.check(false).percentage(p -> p > 10);
        });
    }

    @Property
    void normaliseWhenPlainSegmentsThenSameAsAFileSystemPathUnlessItClimbsAboveTheRoot(
            @ForAll("plainPaths") String raw) {
        Assume.that(File.separatorChar == '/');
        String withoutParameters = raw.replaceAll(";[^/]*", "");

        RequestPath path = RequestPath.normalise(raw);

        if (climbsAboveRoot(withoutParameters)) {
            assertFalse(path.isSafe(), raw);
        } else {
            assertEquals(Path.of(withoutParameters).normalize().toString(), path.value(), raw);
        }
        Statistics.label("climbs").collect(climbsAboveRoot(withoutParameters));
    }

    @Property
    void matchesWhenUnsafePathThenNoPatternAndNotPublic(@ForAll("rawPaths") String raw,
            @ForAll("patterns") String pattern) {
        RequestPath path = RequestPath.normalise(raw);
        Assume.that(!path.isSafe());

        assertFalse(PathPattern.parse(pattern).matches(path));
        assertFalse(settings(pattern).isPublic(RequestPath.of(raw, null)));
        assertFalse(settings(pattern).isPublic(RequestPath.of("", raw)));
    }

    @Property
    void matchesWhenAnyPathThenExactlyBySegments(@ForAll("rawPaths") String raw, @ForAll("patterns") String text) {
        RequestPath path = RequestPath.normalise(raw);
        Assume.that(path.isSafe());
        PathPattern pattern = PathPattern.parse(text);

        List<String> segments = segments(path.value());
        boolean expected;
        if (text.endsWith("/**")) {
            List<String> base = segments(text.substring(0, text.length() - 3));
            expected = segments.size() >= base.size() && segments.subList(0, base.size()).equals(base);
        } else if (text.endsWith("/*")) {
            List<String> base = segments(text.substring(0, text.length() - 2));
            expected = segments.size() == base.size() + 1 && segments.subList(0, base.size()).equals(base);
        } else {
            expected = segments.equals(segments(text));
        }
        assertEquals(expected, pattern.matches(path), () -> text + " against " + path.value());
        Statistics.label("matches").collect(expected);
    }

    @Property
    void parseWhenAnyTextThenPatternOrIllegalArgument(@ForAll("patternTexts") String text) {
        PathPattern pattern;
        try {
            pattern = PathPattern.parse(text);
        } catch (IllegalArgumentException e) {
            assertTrue(e.getMessage() != null && !e.getMessage().isBlank());
            Statistics.label("parsed").collect(false);
            return;
        }
        Statistics.label("parsed").collect(true);
        assertEquals(pattern, PathPattern.parse(pattern.text()));
        assertTrue(pattern.base().isEmpty() || pattern.base().equals(RequestPath.normalise(pattern.base()).value()),
                "a pattern is written in normalised form: " + text);
    }

    private static FilterSettings settings(String publicPattern) {
        try {
            return FilterSettings.read(new ConfigLookup(null, Map.of(FilterSettings.PUBLIC_PATHS, publicPattern)::get,
                    Map.of(), new Properties()), "/sample");
        } catch (ServletException e) {
            throw new AssertionError(e);
        }
    }

    private static List<String> segments(String path) {
        List<String> segments = new ArrayList<>(Arrays.asList(path.split("/")));
        segments.removeIf(String::isEmpty);
        return segments;
    }

    private static boolean climbsAboveRoot(String path) {
        int depth = 0;
        for (String segment : path.split("/")) {
            if (segment.equals("..")) {
                depth--;
                if (depth < 0) {
                    return true;
                }
            } else if (!segment.isEmpty() && !segment.equals(".")) {
                depth++;
            }
        }
        return false;
    }

    // ---- generators ----

    @Provide
    Arbitrary<String> rawPaths() {
        Arbitrary<String> segmented = Arbitraries.of(SEGMENTS).list().ofMaxSize(8)
                .map(list -> "/" + String.join("/", list));
        return Arbitraries.frequencyOf(
                Tuple.of(6, segmented),
                Tuple.of(1, segmented.map(p -> p + "/")),
                Tuple.of(1, Arbitraries.strings().all().ofMaxLength(60)),
                Tuple.of(1, Arbitraries.strings().withChars("/.;%\\ab").ofMaxLength(30)),
                Tuple.of(1, Arbitraries.strings().all().ofMaxLength(60).map(s -> "/" + s)));
    }

    /** Paths the file-system oracle understands: no character it treats differently. */
    @Provide
    Arbitrary<String> plainPaths() {
        return Arbitraries.of("a", "ab", "public", "", ".", "..", "..;x", "a;v=1", ".;y").list().ofMaxSize(10)
                .map(list -> "/" + String.join("/", list));
    }

    @Provide
    Arbitrary<String> patterns() {
        Arbitrary<String> base = Arbitraries.of("a", "ab", "b", "public", "api").list().ofMaxSize(3)
                .map(list -> list.isEmpty() ? "" : "/" + String.join("/", list));
        return Combinators.combine(base, Arbitraries.of("", "/*", "/**")).as((b, kind) -> {
            String text = b + kind;
            return text.isEmpty() ? "/" : text;
        });
    }

    @Provide
    Arbitrary<String> patternTexts() {
        return Arbitraries.oneOf(patterns(), rawPaths(), rawPaths().map(p -> p + "/**"),
                rawPaths().map(p -> p + "/*"), Arbitraries.strings().all().ofMaxLength(40));
    }
}
