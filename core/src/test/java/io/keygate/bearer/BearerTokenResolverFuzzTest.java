package io.keygate.bearer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.keygate.bearer.BearerChallenge;
import io.keygate.bearer.BearerResolution;
import io.keygate.bearer.BearerTokenResolver;
import io.keygate.testing.FakeRequest;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.statistics.Statistics;

/**
 * Property-based fuzzing of {@link BearerTokenResolver} (RFC 6750 section 2.1): arbitrary header values
 * (any UTF-16 unit, control characters, non-ASCII, lone surrogates), the scheme in every case, long runs of
 * spaces, 64 KiB values and repeated headers. Whatever comes in, the resolver returns, never throws; a token it
 * returns is exactly the credential of the header and matches {@code b64token}; a malformed answer is one of
 * its fixed descriptions and never carries the input.
 */
class BearerTokenResolverFuzzTest {

    /** RFC 6750 section 2.1: {@code b64token = 1*( ALPHA / DIGIT / "-" / "." / "_" / "~" / "+" / "/" ) *"="}. */
    private static final Pattern B64TOKEN = Pattern.compile("[A-Za-z0-9\\-._~+/]+=*");
    private static final String B64_CHARACTERS =
            "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~+/";
    private static final Set<String> DESCRIPTIONS = Set.of(BearerTokenResolver.EMPTY_TOKEN,
            BearerTokenResolver.BAD_CHARACTERS, BearerTokenResolver.TWO_TOKENS, BearerTokenResolver.TWO_HEADERS,
            BearerTokenResolver.TOO_LONG);
    /** The IT's threshold as well: no 16-character piece of a credential may come back. */
    private static final int ECHO_THRESHOLD = 16;

    private final BearerTokenResolver resolver = new BearerTokenResolver();

    @Property
    void resolveWhenAnyHeaderThenNoExceptionAndOnlyTheExactB64Credential(@ForAll("headers") String header) {
        BearerResolution resolution = resolver.resolve(header);

        String value = header.strip();
        if (resolution instanceof BearerResolution.Token token) {
            assertIsExactCredential(value, token.value());
        } else if (resolution instanceof BearerResolution.Malformed malformed) {
            assertTrue(hasBearerScheme(value), "only a bearer request can be malformed: " + header);
            assertSafeDescription(malformed.description(), credentials(value));
        } else {
            assertInstanceOf(BearerResolution.Absent.class, resolution);
            assertFalse(hasBearerScheme(value), "a bearer request is never absent");
        }
        Statistics.label("resolution").collect(resolution.getClass().getSimpleName())
                .coverage(coverage -> {
                    coverage.check("Token").percentage(p -> p > 5);
                    coverage.check("Malformed").percentage(p -> p > 5);
                    coverage.check("Absent").percentage(p -> p > 5);
                });
    }

    @Property
    void resolveWhenSchemeInAnyCaseAndOneOrMoreSpacesThenExactlyTheToken(@ForAll("schemes") String scheme,
            @ForAll("separators") String separator, @ForAll("b64tokens") String token, @ForAll("ows") String before,
            @ForAll("ows") String after) {
        String header = before + scheme + separator + token + after;

        assertEquals(new BearerResolution.Token(token), resolver.resolve(header));
        assertEquals(new BearerResolution.Token(token), resolver.resolve(FakeRequest.get("/x")
                .header(BearerTokenResolver.AUTHORIZATION, header).build()));
    }

    @Property
    void resolveWhenCredentialBreaksB64TokenThenMalformedWithoutEcho(@ForAll("schemes") String scheme,
            @ForAll("separators") String separator, @ForAll("b64tokens") String token,
            @ForAll("notB64") char intruder, @ForAll @IntRange(max = 5000) int position) {
        int at = position % (token.length() + 1);
        String credential = token.substring(0, at) + intruder + token.substring(at);

        BearerResolution resolution = resolver.resolve(scheme + separator + credential);

        BearerResolution.Malformed malformed = assertInstanceOf(BearerResolution.Malformed.class, resolution,
                () -> "accepted a credential with U+" + Integer.toHexString(intruder));
        assertSafeDescription(malformed.description(), credential);
    }

    @Property
    void resolveWhenTwoOrMoreAuthorizationHeadersThenAlwaysMalformed(@ForAll("headerLists") List<String> headers) {
        FakeRequest request = FakeRequest.get("/x");
        headers.forEach(h -> request.header(BearerTokenResolver.AUTHORIZATION, h));

        assertEquals(new BearerResolution.Malformed(BearerTokenResolver.TWO_HEADERS), resolver.resolve(request.build()));
    }

    @Property(tries = 60)
    void resolveWhen64KibHeaderThenNeverATokenAndNoEcho(@ForAll("schemes") String scheme,
            @ForAll("hugeCredentials") String credential) {
        String header = scheme + " " + credential;

        BearerResolution resolution = resolver.resolve(header);

        BearerResolution.Malformed malformed = assertInstanceOf(BearerResolution.Malformed.class, resolution);
        assertSafeDescription(malformed.description(), credential);
        assertInstanceOf(BearerResolution.Absent.class, resolver.resolve("x" + credential), "no scheme, no token");
    }

    @Property(tries = 60)
    void resolveWhenTensOfThousandsOfSpacesThenStillTheToken(@ForAll("b64tokens") String token,
            @ForAll("manySpaces") String spaces) {
        assertEquals(new BearerResolution.Token(token), resolver.resolve("Bearer" + spaces + token + spaces));
        assertEquals(new BearerResolution.Malformed(BearerTokenResolver.EMPTY_TOKEN),
                resolver.resolve("Bearer" + spaces));
    }

    /**
     * The resolver was a regular expression until it became a hand-written scanner: both must agree on every
     * header, to the exact answer (the token, or which description).
     */
    @Property(tries = 3000)
    void resolveWhenAnyHeaderThenSameAnswerAsTheRegexResolver(@ForAll("headers") String header) {
        assertEquals(reference(header), resolver.resolve(header), () -> "header " + escape(header));
    }

    /** The former implementation, kept as the reference the scanner is checked against. */
    private static BearerResolution reference(String header) {
        String value = header.strip();
        if (!hasBearerScheme(value)) {
            return new BearerResolution.Absent();
        }
        String credentials = value.substring(6).strip();
        if (credentials.isEmpty()) {
            return new BearerResolution.Malformed(BearerTokenResolver.EMPTY_TOKEN);
        }
        if (value.charAt(6) != ' ') {
            return new BearerResolution.Malformed(BearerTokenResolver.BAD_CHARACTERS);
        }
        if (credentials.length() > BearerTokenResolver.MAX_TOKEN_LENGTH) {
            return new BearerResolution.Malformed(BearerTokenResolver.TOO_LONG);
        }
        if (credentials.indexOf(' ') >= 0) {
            return new BearerResolution.Malformed(BearerTokenResolver.TWO_TOKENS);
        }
        if (!B64TOKEN.matcher(credentials).matches()) {
            return new BearerResolution.Malformed(BearerTokenResolver.BAD_CHARACTERS);
        }
        return new BearerResolution.Token(credentials);
    }

    private static String escape(String text) {
        StringBuilder escaped = new StringBuilder();
        text.chars().limit(200).forEach(c -> escaped.append(c >= 0x20 && c < 0x7f ? String.valueOf((char) c)
                : String.format("\\u%04x", c)));
        return escaped.toString();
    }

    /** The header, stripped, is {@code <scheme> SP <whitespace> <token>}: nothing else was dropped or added. */
    private static void assertIsExactCredential(String value, String token) {
        assertTrue(B64TOKEN.matcher(token).matches(), "not a b64token");
        assertTrue(token.length() <= BearerTokenResolver.MAX_TOKEN_LENGTH, "longer than the limit");
        assertTrue(value.regionMatches(true, 0, BearerTokenResolver.SCHEME, 0, 6), "scheme");
        assertEquals(' ', value.charAt(6), "the scheme is followed by a space");
        assertTrue(value.endsWith(token), "the token is the end of the header");
        assertTrue(value.substring(6, value.length() - token.length()).isBlank(),
                "only whitespace between the scheme and the token");
    }

    private static void assertSafeDescription(String description, String input) {
        assertTrue(DESCRIPTIONS.contains(description), "not one of the fixed descriptions: " + description);
        assertTrue(BearerChallenge.isValidParameterValue(description), "not a valid error_description");
        for (int i = 0; i + ECHO_THRESHOLD <= input.length(); i += ECHO_THRESHOLD / 2) {
            assertFalse(description.contains(input.substring(i, i + ECHO_THRESHOLD)), "echoes the input");
        }
    }

    private static boolean hasBearerScheme(String value) {
        return value.toLowerCase(Locale.ROOT).startsWith("bearer")
                && (value.length() == 6 || Character.isWhitespace(value.charAt(6)));
    }

    private static String credentials(String value) {
        return value.length() <= 6 ? "" : value.substring(6);
    }

    // ---- generators ----

    @Provide
    Arbitrary<String> headers() {
        Arbitrary<String> bearerShaped = Combinators.combine(
                Arbitraries.frequencyOf(Tuple.of(9, schemes()), Tuple.of(1, Arbitraries.of("Bearerx", "Beare",
                        "Bearer\t", "Bearer\u00a0", "Basic", "Bearer,", "bearer:"))),
                Arbitraries.frequencyOf(Tuple.of(9, separators()), Tuple.of(1, Arbitraries.of("", "\t", " \t",
                        "\u3000", "\r\n ", "\u0000"))),
                Arbitraries.frequencyOf(Tuple.of(6, b64tokens()), Tuple.of(1, b64tokens().map(t -> t + " " + t)),
                        Tuple.of(2, spiced()), Tuple.of(1, Arbitraries.just(""))),
                Arbitraries.frequencyOf(Tuple.of(4, ows()), Tuple.of(1, Arbitraries.of("\u0000", "\u0085", " x",
                        ",")))).as(
                        (scheme, separator, credential, tail) -> scheme + separator + credential + tail);
        return Arbitraries.frequencyOf(
                Tuple.of(4, bearerShaped),
                Tuple.of(2, Arbitraries.strings().all().ofMaxLength(300)),
                Tuple.of(2, Arbitraries.strings().withCharRange('\u0000', '\u00ff').ofMaxLength(300)),
                Tuple.of(1, Arbitraries.strings().withChars(" \t\r\n\u000b\f\u001c\u001f").ofMaxLength(20)
                        .map(ws -> ws + "Bearer" + ws)));
    }

    @Provide
    Arbitrary<String> schemes() {
        return Arbitraries.integers().between(0, 63).map(mask -> {
            StringBuilder scheme = new StringBuilder();
            for (int i = 0; i < 6; i++) {
                char c = "bearer".charAt(i);
                scheme.append((mask & (1 << i)) != 0 ? Character.toUpperCase(c) : c);
            }
            return scheme.toString();
        });
    }

    @Provide
    Arbitrary<String> separators() {
        return Arbitraries.frequencyOf(
                Tuple.of(8, Arbitraries.integers().between(1, 4).map(" "::repeat)),
                Tuple.of(1, Arbitraries.integers().between(5, 2000).map(" "::repeat)),
                Tuple.of(1, Arbitraries.strings().withChars(" \t").ofMinLength(1).ofMaxLength(10).map(s -> " " + s)));
    }

    /** Optional whitespace around a header value (RFC 9110 section 5.6.3). */
    @Provide
    Arbitrary<String> ows() {
        return Arbitraries.strings().withChars(" \t").ofMaxLength(5);
    }

    @Provide
    Arbitrary<String> b64tokens() {
        Arbitrary<String> body = Arbitraries.strings().withChars(B64_CHARACTERS).ofMinLength(1).ofMaxLength(300);
        Arbitrary<String> padding = Arbitraries.integers().between(0, 3).map("="::repeat);
        Arbitrary<String> keygate = Arbitraries.longs().map(seed -> io.keygate.token.TokenFormat.generate(
                seeded(seed)));
        return Arbitraries.oneOf(Combinators.combine(body, padding).as(String::concat), keygate,
                Arbitraries.just("x".repeat(BearerTokenResolver.MAX_TOKEN_LENGTH)));
    }

    /** A credential with characters from everywhere: control, non-ASCII, quotes, surrogates. */
    @Provide
    Arbitrary<String> spiced() {
        return Arbitraries.strings().withChars(B64_CHARACTERS + "=\"\\,;:@ \t\u0000\u0001\u001f\u007f\u0080\u00ff"
                + "\u00e9\u20ac\ud800\udc00\ufeff\u2028").ofMinLength(1).ofMaxLength(80);
    }

    @Provide
    Arbitrary<Character> notB64() {
        return Arbitraries.chars().all().filter(c -> B64_CHARACTERS.indexOf(c) < 0 && c != '='
                && !Character.isWhitespace(c));
    }

    @Provide
    Arbitrary<List<String>> headerLists() {
        return Arbitraries.oneOf(headers(), b64tokens().map(t -> "Bearer " + t)).list().ofMinSize(2).ofMaxSize(5);
    }

    /**
     * About 64 KiB: a token far over the limit, random Latin-1 (what a server decodes header bytes to), any UTF-16
     * unit, or a space-separated list of tokens. Built from jqwik's random source, so the seed reproduces them.
     */
    @Provide
    Arbitrary<String> hugeCredentials() {
        int size = 64 * 1024;
        return Arbitraries.oneOf(
                Arbitraries.randomValue(random -> randomString(random, size, B64_CHARACTERS)),
                Arbitraries.randomValue(random -> "x" + randomChars(random, size, '\u0000', '\u00ff') + "x"),
                Arbitraries.randomValue(random -> "x" + randomChars(random, size, '\u0000', '\uffff') + "x"),
                b64tokens().map(t -> (t + " ").repeat(size / (t.length() + 1) + 1).strip()));
    }

    private static String randomString(java.util.Random random, int length, String alphabet) {
        StringBuilder text = new StringBuilder(length);
        for (int i = 0; i < length; i++) {
            text.append(alphabet.charAt(random.nextInt(alphabet.length())));
        }
        return text.toString();
    }

    private static String randomChars(java.util.Random random, int length, char from, char to) {
        StringBuilder text = new StringBuilder(length);
        for (int i = 0; i < length; i++) {
            text.append((char) (from + random.nextInt(to - from + 1)));
        }
        return text.toString();
    }

    @Provide
    Arbitrary<String> manySpaces() {
        return Arbitraries.integers().between(1_000, 60_000).map(" "::repeat);
    }

    private static java.security.SecureRandom seeded(long seed) {
        try {
            java.security.SecureRandom random = java.security.SecureRandom.getInstance("SHA1PRNG");
            random.setSeed(seed);
            return random;
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
