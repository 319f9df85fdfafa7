package io.keygate.token;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/**
 * SHA-256 of a token, as 64 lower-case hex characters: the only form in which a token is stored, cached,
 * passed to the verifier or used as a map key.
 *
 * <p>A plain (unsalted, fast) hash is right here because every token carries about 178 bits of randomness:
 * there is no dictionary to precompute and nothing to gain from key stretching, while the verify path stays a
 * single indexed equality look-up (OWASP ASVS 5.0 V11.4: high-entropy secrets need no slow hash).
 */
public final class TokenHash {

    /**
     * One digest per thread: {@link MessageDigest#getInstance} per call walks the security providers and
     * allocates a new digest every time. {@link MessageDigest#digest(byte[])} leaves the digest reset, and
     * nothing between its update and its completion can fail, so each use starts from a clean digest. With the JDK's providers the digest is a JDK
     * class, so a pool thread that outlives the application holds nothing of the application's class loader.
     */
    private static final ThreadLocal<MessageDigest> SHA_256 = ThreadLocal.withInitial(TokenHash::sha256);
    private static final byte[] HEX_DIGITS = "0123456789abcdef".getBytes(StandardCharsets.US_ASCII);

    private TokenHash() {
    }

    /** The SHA-256 of the token's UTF-8 bytes, in lower-case hex. */
    public static String of(String token) {
        byte[] hash = SHA_256.get().digest(token.getBytes(StandardCharsets.UTF_8));
        byte[] hex = new byte[hash.length * 2];
        for (int i = 0; i < hash.length; i++) {
            hex[2 * i] = HEX_DIGITS[(hash[i] >> 4) & 0xf];
            hex[2 * i + 1] = HEX_DIGITS[hash[i] & 0xf];
        }
        return new String(hex, StandardCharsets.ISO_8859_1);
    }

    /**
     * Compares two hashes in time that does not depend on where they differ
     * ({@link MessageDigest#isEqual}), so a timing side channel tells an attacker nothing.
     */
    public static boolean matches(String expectedHash, String actualHash) {
        if (expectedHash == null || actualHash == null) {
            return false;
        }
        return MessageDigest.isEqual(expectedHash.getBytes(StandardCharsets.US_ASCII),
                actualHash.getBytes(StandardCharsets.US_ASCII));
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java platform must provide SHA-256", e);
        }
    }
}
