package io.keygate.token;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.zip.CRC32;
import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.Test;

class TokenFormatTest {

    private static final String ALPHABET = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
    private static final SecureRandom RANDOM = new SecureRandom();

    @RepeatedTest(20)
    void generateThenWellFormedWithPrefixLengthAndAlphabet() {
        String token = TokenFormat.generate(RANDOM);
        assertEquals(39, token.length());
        assertTrue(token.matches("kg_[0-9A-Za-z]{36}"), "scanner regex from the Javadoc matches");
        assertTrue(TokenFormat.isWellFormed(token));
    }

    @Test
    void isWellFormedWhenAnyCharacterFlippedThenFalse() {
        String token = TokenFormat.generate(RANDOM);
        for (int i = TokenFormat.PREFIX.length(); i < token.length(); i++) {
            char original = token.charAt(i);
            char other = ALPHABET.charAt((ALPHABET.indexOf(original) + 1) % ALPHABET.length());
            String flipped = token.substring(0, i) + other + token.substring(i + 1);
            assertFalse(TokenFormat.isWellFormed(flipped), "flip at " + i);
        }
    }

    @Test
    void isWellFormedWhenWrongLengthPrefixOrAlphabetThenFalse() {
        String token = TokenFormat.generate(RANDOM);
        assertFalse(TokenFormat.isWellFormed(null));
        assertFalse(TokenFormat.isWellFormed(""));
        assertFalse(TokenFormat.isWellFormed(token.substring(0, 38)));
        assertFalse(TokenFormat.isWellFormed(token + "0"));
        assertFalse(TokenFormat.isWellFormed("KG_" + token.substring(3)));
        assertFalse(TokenFormat.isWellFormed("gh_" + token.substring(3)));
        assertFalse(TokenFormat.isWellFormed(token.substring(0, 10) + "-" + token.substring(11)));
        assertFalse(TokenFormat.isWellFormed(token.substring(0, 10) + "é" + token.substring(11)));
    }

    @Test
    void checksumWhenSmallCrcThenLeftPaddedWithZeros() {
        // Search for a 30-character body whose CRC32 is below 62^4, so its base62 form needs two pad zeros.
        String body = null;
        for (long i = 0; body == null; i++) {
            String candidate = String.format("%030d", i);
            if (crc(candidate) < 62L * 62 * 62 * 62) {
                body = candidate;
            }
        }
        String expected = base62(crc(body));
        assertTrue(expected.length() <= 4);
        String padded = "0".repeat(6 - expected.length()) + expected;
        assertEquals(padded, TokenFormat.checksum(body));
        assertTrue(TokenFormat.isWellFormed("kg_" + body + padded));
        assertFalse(TokenFormat.isWellFormed("kg_" + body + expected + "  "));
    }

    @Test
    void checksumWhenKnownBodyThenIndependentCrc32InBase62() {
        String body = "abcdefghijABCDEFGHIJ0123456789";
        long crc = crc(body);
        String expected = "0".repeat(6 - base62(crc).length()) + base62(crc);
        assertEquals(expected, TokenFormat.checksum(body));
        assertTrue(TokenFormat.isWellFormed("kg_" + body + expected));
    }

    @Test
    void displayPrefixThenKgAndFiveCharacters() {
        assertEquals("kg_abcde", TokenFormat.displayPrefix("kg_abcdefghij"));
        assertEquals("kg_", TokenFormat.displayPrefix("kg_"));
    }

    @Test
    void loggablePrefixThenTheListingPrefixOfTokenShapedInputOnly() {
        String token = "kg_" + "abcdefghijABCDEFGHIJ0123456789" + "zzzzzz";
        assertFalse(TokenFormat.isWellFormed(token), "a checksum that does not match");
        assertEquals("kg_abcde", TokenFormat.loggablePrefix(token), "a mistyped token still has a token's shape");
        assertNull(TokenFormat.loggablePrefix(null));
        assertNull(TokenFormat.loggablePrefix("Tr0ub4dor&3-my-real-password"), "a password: none of it");
        assertNull(TokenFormat.loggablePrefix("kg_abcdefghij"), "kg_ but shorter than a token");
        assertNull(TokenFormat.loggablePrefix(token + "a"), "longer than a token");
        assertNull(TokenFormat.loggablePrefix("KG_" + token.substring(3)));
        assertNull(TokenFormat.loggablePrefix(token.substring(0, 38) + "-"), "outside base62");
    }

    @Test
    void isDisplayPrefixThenExactlyKgAndFiveBase62() {
        assertTrue(TokenFormat.isDisplayPrefix("kg_aB3de"));
        assertFalse(TokenFormat.isDisplayPrefix("kg_aB3d"));
        assertFalse(TokenFormat.isDisplayPrefix("kg_aB3def"));
        assertFalse(TokenFormat.isDisplayPrefix("kg_aB<de"));
        assertFalse(TokenFormat.isDisplayPrefix("passw0rd"));
        assertFalse(TokenFormat.isDisplayPrefix(null));
    }

    private static long crc(String s) {
        CRC32 crc = new CRC32();
        crc.update(s.getBytes(StandardCharsets.US_ASCII));
        return crc.getValue();
    }

    private static String base62(long value) {
        StringBuilder digits = new StringBuilder();
        do {
            digits.insert(0, ALPHABET.charAt((int) (value % 62)));
            value /= 62;
        } while (value > 0);
        return digits.toString();
    }
}
