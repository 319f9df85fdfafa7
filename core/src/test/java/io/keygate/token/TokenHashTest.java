package io.keygate.token;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class TokenHashTest {

    @Test
    void ofWhenKnownVectorThenFipsDigest() {
        // FIPS 180-2 appendix B.1 test vector.
        assertEquals("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad", TokenHash.of("abc"));
        assertEquals("e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855", TokenHash.of(""));
    }

    @Test
    void ofWhenNonAsciiThenDigestOfUtf8Bytes() {
        assertEquals("2c0edbabf162720a9136d3705445464cb3d57b313c967ee52616084ec8a7e31d", TokenHash.of("t\u00f6k"));
    }

    @Test
    void ofWhenCalledFromManyThreadsThenEveryThreadGetsTheSameDigests() throws Exception {
        // Each thread has its own digest; none may see another's state or one left over from its last call.
        java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(4);
        try {
            java.util.List<java.util.concurrent.Future<Boolean>> results = new java.util.ArrayList<>();
            for (int t = 0; t < 8; t++) {
                results.add(pool.submit(() -> {
                    for (int i = 0; i < 2_000; i++) {
                        if (!TokenHash.of("abc").equals("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
                                || !TokenHash.of("").equals(
                                        "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")) {
                            return false;
                        }
                    }
                    return true;
                }));
            }
            for (java.util.concurrent.Future<Boolean> result : results) {
                assertTrue(result.get());
            }
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void ofThenLowerCaseHex64() {
        assertTrue(TokenHash.of("kg_anything").matches("[0-9a-f]{64}"));
    }

    @Test
    void matchesWhenEqualThenTrueOtherwiseFalse() {
        String hash = TokenHash.of("abc");
        assertTrue(TokenHash.matches(hash, TokenHash.of("abc")));
        assertFalse(TokenHash.matches(hash, TokenHash.of("abd")));
        assertFalse(TokenHash.matches(hash, null));
        assertFalse(TokenHash.matches(null, hash));
    }
}
