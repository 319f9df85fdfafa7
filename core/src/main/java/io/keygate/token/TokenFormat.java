package io.keygate.token;

import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.zip.CRC32;

/**
 * The shape of a Keygate token: {@code kg_} + 30 random base62 characters + a 6-character base62 CRC32
 * checksum of those 30 characters, 39 characters in all.
 *
 * <p>The checksum follows GitHub's token format: it lets the filter refuse a mistyped or invented token
 * without touching the store, and lets secret scanners recognise a Keygate token with a regular expression
 * ({@code kg_[0-9A-Za-z]{36}}) and check it offline. 30 characters of base62 carry about 178 bits of
 * randomness, far beyond guessing, which is why a fast hash (SHA-256) is the right thing to store.
 *
 * <pre>
 * String token = TokenFormat.generate(random);   // kg_9Zb...Q2x (39 characters)
 * TokenFormat.isWellFormed(token);               // true
 * </pre>
 */
public final class TokenFormat {

    /** Every Keygate token starts with this, so scanners and people can tell it apart. */
    public static final String PREFIX = "kg_";
    /** Number of random base62 characters after the prefix. */
    public static final int RANDOM_LENGTH = 30;
    /** Number of base62 characters of the CRC32 checksum. */
    public static final int CHECKSUM_LENGTH = 6;
    /** Total length of a token. */
    public static final int LENGTH = PREFIX.length() + RANDOM_LENGTH + CHECKSUM_LENGTH;
    /**
     * Length of the non-secret prefix shown in listings: {@code kg_} and the first five random characters,
     * 62<sup>5</sup> (about 10<sup>9</sup>) values, enough to tell a tenant's tokens apart while revealing
     * under 30 of the 178 bits.
     */
    public static final int DISPLAY_PREFIX_LENGTH = PREFIX.length() + 5;

    private static final String ALPHABET = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";

    private TokenFormat() {
    }

    /** A new token from {@code random}, which should be a {@link SecureRandom}. */
    public static String generate(SecureRandom random) {
        char[] body = new char[RANDOM_LENGTH];
        for (int i = 0; i < body.length; i++) {
            body[i] = ALPHABET.charAt(random.nextInt(ALPHABET.length()));
        }
        String randomPart = new String(body);
        return PREFIX + randomPart + checksum(randomPart);
    }

    /**
     * Whether {@code candidate} has the prefix, the length, the alphabet and a matching checksum. Cheap and
     * allocation-light: it runs before any store look-up, and compares the checksum digit by digit instead of
     * building its text.
     */
    public static boolean isWellFormed(String candidate) {
        if (candidate == null || candidate.length() != LENGTH || !candidate.startsWith(PREFIX)) {
            return false;
        }
        byte[] randomPart = new byte[RANDOM_LENGTH];
        for (int i = 0; i < RANDOM_LENGTH; i++) {
            char c = candidate.charAt(PREFIX.length() + i);
            if (valueOf(c) < 0) {
                return false;
            }
            randomPart[i] = (byte) c;
        }
        long crc = crc32(randomPart);
        for (int i = LENGTH - 1; i >= LENGTH - CHECKSUM_LENGTH; i--) {
            if (candidate.charAt(i) != ALPHABET.charAt((int) (crc % ALPHABET.length()))) {
                return false;
            }
            crc /= ALPHABET.length();
        }
        return true;
    }

    /** The non-secret prefix of a token, for listings and logs. */
    public static String displayPrefix(String token) {
        return token.substring(0, Math.min(DISPLAY_PREFIX_LENGTH, token.length()));
    }

    /**
     * Whether {@code candidate} looks like a Keygate token: {@code kg_} and 36 base62 characters, the pattern
     * secret scanners match, whatever its checksum (a mistyped token still is one).
     */
    public static boolean hasTokenShape(String candidate) {
        return candidate != null && candidate.length() == LENGTH && candidate.startsWith(PREFIX)
                && isBase62(candidate, PREFIX.length(), LENGTH);
    }

    /** Whether {@code text} is exactly what a listing shows as a token's prefix: {@code kg_} and five base62. */
    public static boolean isDisplayPrefix(String text) {
        return text != null && text.length() == DISPLAY_PREFIX_LENGTH && text.startsWith(PREFIX)
                && isBase62(text, PREFIX.length(), DISPLAY_PREFIX_LENGTH);
    }

    /**
     * All that a log or an audit entry may show of a presented credential: its {@link #displayPrefix} when it has
     * a {@linkplain #hasTokenShape token's shape}, otherwise {@code null}. Whatever else was presented (a user's
     * password sent to the password grant, a bootstrap admin token of another form, garbage) may be a secret
     * that shares no format with Keygate's, so none of it is kept: not even its first characters.
     */
    public static String loggablePrefix(String presented) {
        return hasTokenShape(presented) ? presented.substring(0, DISPLAY_PREFIX_LENGTH) : null;
    }

    /** CRC32 of the ASCII characters, in base62, left-padded with {@code 0} to six characters. */
    static String checksum(String randomPart) {
        long value = crc32(randomPart.getBytes(StandardCharsets.US_ASCII));
        char[] digits = new char[CHECKSUM_LENGTH];
        for (int i = CHECKSUM_LENGTH - 1; i >= 0; i--) {
            digits[i] = ALPHABET.charAt((int) (value % ALPHABET.length()));
            value /= ALPHABET.length();
        }
        return new String(digits);
    }

    private static long crc32(byte[] bytes) {
        CRC32 crc = new CRC32();
        crc.update(bytes);
        return crc.getValue();
    }

    private static boolean isBase62(String text, int from, int to) {
        for (int i = from; i < to; i++) {
            if (valueOf(text.charAt(i)) < 0) {
                return false;
            }
        }
        return true;
    }

    private static int valueOf(char c) {
        if (c >= '0' && c <= '9') {
            return c - '0';
        }
        if (c >= 'A' && c <= 'Z') {
            return c - 'A' + 10;
        }
        if (c >= 'a' && c <= 'z') {
            return c - 'a' + 36;
        }
        return -1;
    }
}
