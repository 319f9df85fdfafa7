package io.keygate.token;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * SHA-256 of a token, as 64 lower-case hex characters: the only form in which a token is stored, cached,
 * passed to the verifier or used as a map key.
 *
 * <p>A plain (unsalted, fast) hash is right here because every token carries about 178 bits of randomness:
 * there is no dictionary to precompute and nothing to gain from key stretching, while the verify path stays a
 * single indexed equality look-up (OWASP ASVS 5.0 V11.4: high-entropy secrets need no slow hash).
 */
public final class TokenHash {

    private static final HexFormat HEX = HexFormat.of();

    private TokenHash() {
    }

    /** The SHA-256 of the token's UTF-8 bytes, in lower-case hex. */
    public static String of(String token) {
        return HEX.formatHex(sha256().digest(token.getBytes(StandardCharsets.UTF_8)));
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
