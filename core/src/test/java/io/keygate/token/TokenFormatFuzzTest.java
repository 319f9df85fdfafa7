package io.keygate.token;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.regex.Pattern;
import java.util.zip.CRC32;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.statistics.Statistics;

/**
 * Property-based fuzzing of the token format (README, "Tokens"): every generated token is well formed; every
 * single-character edit of one (substitution, insertion, deletion) is refused unless it gives back the same
 * string, which is what the CRC32 checksum is for; arbitrary strings never make the parser throw, and a
 * candidate of the right shape is accepted exactly when the checksum, computed here independently, matches.
 */
class TokenFormatFuzzTest {

    private static final String BASE62 = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
    private static final Pattern SHAPE = Pattern.compile("kg_[0-9A-Za-z]{36}");

    enum Edit { SUBSTITUTE, INSERT, DELETE }

    @Property
    void generateWhenAnySeedThenWellFormed(@ForAll long seed) {
        String token = TokenFormat.generate(seeded(seed));

        assertTrue(TokenFormat.isWellFormed(token));
        assertTrue(SHAPE.matcher(token).matches(), token);
        assertEquals(TokenFormat.LENGTH, token.length());
        assertEquals(crc32Base62(token.substring(3, 33)), token.substring(33), "checksum of the random part");
        assertEquals(token.substring(0, TokenFormat.DISPLAY_PREFIX_LENGTH), TokenFormat.displayPrefix(token));
    }

    @Property
    void isWellFormedWhenOneCharacterEditedThenRefusedUnlessUnchanged(@ForAll long seed, @ForAll Edit edit,
            @ForAll @IntRange(max = 39) int position, @ForAll("replacements") char replacement) {
        String token = TokenFormat.generate(seeded(seed));
        int at = Math.min(position, edit == Edit.INSERT ? TokenFormat.LENGTH : TokenFormat.LENGTH - 1);
        String edited = switch (edit) {
            case SUBSTITUTE -> token.substring(0, at) + replacement + token.substring(at + 1);
            case INSERT -> token.substring(0, at) + replacement + token.substring(at);
            case DELETE -> token.substring(0, at) + token.substring(at + 1);
        };

        assertEquals(edited.equals(token), TokenFormat.isWellFormed(edited), () -> edit + " at " + at);
        Statistics.label("edit").collect(edit, edited.equals(token) ? "same" : "changed");
    }

    @Property
    void isWellFormedWhenAdjacentCharactersSwappedThenRefusedUnlessUnchanged(@ForAll long seed,
            @ForAll @IntRange(min = 3, max = 37) int at) {
        String token = TokenFormat.generate(seeded(seed));
        String swapped = token.substring(0, at) + token.charAt(at + 1) + token.charAt(at) + token.substring(at + 2);

        assertEquals(swapped.equals(token), TokenFormat.isWellFormed(swapped));
    }

    @Property
    void isWellFormedWhenArbitraryStringThenNoExceptionAndOnlyTheSpecifiedShape(@ForAll("candidates") String candidate) {
        boolean wellFormed = TokenFormat.isWellFormed(candidate);
        TokenFormat.displayPrefix(candidate);

        boolean expected = SHAPE.matcher(candidate).matches()
                && candidate.substring(33).equals(crc32Base62(candidate.substring(3, 33)));
        assertEquals(expected, wellFormed);
        Statistics.label("well formed").collect(wellFormed);
    }

    @Property
    void hashWhenArbitraryStringThenLowerHexSha256AndConstantTimeEquality(@ForAll("candidates") String token,
            @ForAll("candidates") String other) {
        String hash = TokenHash.of(token);

        assertTrue(hash.matches("[0-9a-f]{64}"), hash);
        assertTrue(TokenHash.matches(hash, TokenHash.of(token)));
        assertEquals(hash.equals(TokenHash.of(other)), TokenHash.matches(hash, TokenHash.of(other)));
        assertFalse(TokenHash.matches(hash, null));
    }

    @Property
    void isValidNameWhenArbitraryStringThenOnlyTheScopeSyntax(@ForAll("scopeNames") String name) {
        boolean valid = Scopes.isValidName(name);

        assertEquals(name.matches("[a-z][a-z0-9_.:-]*") && name.length() <= 64, valid, name);
    }

    /** The documented checksum, written independently of {@link TokenFormat}: CRC32, base62, six digits. */
    static String crc32Base62(String randomPart) {
        CRC32 crc = new CRC32();
        crc.update(randomPart.getBytes(StandardCharsets.US_ASCII));
        long value = crc.getValue();
        StringBuilder digits = new StringBuilder();
        while (value > 0) {
            digits.insert(0, BASE62.charAt((int) (value % 62)));
            value /= 62;
        }
        return "0".repeat(6 - digits.length()) + digits;
    }

    static SecureRandom seeded(long seed) {
        try {
            SecureRandom random = SecureRandom.getInstance("SHA1PRNG");
            random.setSeed(seed);
            return random;
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    // ---- generators ----

    /** Mostly base62 (the hard case: the alphabet check cannot catch it, only the checksum), then anything. */
    @Provide
    Arbitrary<Character> replacements() {
        return Arbitraries.frequencyOf(
                Tuple.of(8, Arbitraries.of(BASE62.chars().mapToObj(c -> (char) c).toArray(Character[]::new))),
                Tuple.of(2, Arbitraries.chars().all()));
    }

    @Provide
    Arbitrary<String> candidates() {
        Arbitrary<String> shaped = Arbitraries.strings().withChars(BASE62).ofLength(36).map(s -> "kg_" + s);
        Arbitrary<String> almost = Arbitraries.longs().map(seed -> TokenFormat.generate(seeded(seed)))
                .map(t -> t.substring(0, 33) + crc32Base62(t.substring(3, 33)).toLowerCase());
        return Arbitraries.frequencyOf(
                Tuple.of(3, Arbitraries.strings().all().ofMaxLength(80)),
                Tuple.of(2, Arbitraries.strings().withChars(BASE62 + "_-=+/ \u0000\u00e9").ofMinLength(35)
                        .ofMaxLength(43).map(s -> "kg_" + s)),
                Tuple.of(2, shaped),
                Tuple.of(1, almost),
                Tuple.of(2, Arbitraries.longs().map(seed -> TokenFormat.generate(seeded(seed)))));
    }

    @Provide
    Arbitrary<String> scopeNames() {
        return Arbitraries.oneOf(Arbitraries.strings().all().ofMaxLength(70),
                Arbitraries.strings().withChars("abcz09_.:-A ").ofMinLength(1).ofMaxLength(70));
    }
}
