package io.keygate.bench.store;

import io.keygate.token.TokenFormat;
import io.keygate.token.TokenHash;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Instant;
import java.util.HexFormat;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Writes many tokens of one tenant the fast way, in JDBC batches of {@value #BATCH} rows, one transaction each:
 * real {@code kg_} tokens, of which only the SHA-256 is stored, as Keygate stores them. Four tokens share each
 * creation millisecond, so listing pages break ties by id as they do in real use.
 */
final class Seeder {

    static final int BATCH = 5_000;

    private static final String INSERT = "INSERT INTO KG_TOKEN (ID, TENANT_SLUG, TOKEN_HASH, PREFIX, NAME, OWNER,"
            + " SCOPES, CREATED_AT, USAGE_COUNT, VERSION) VALUES (?, ?, ?, ?, ?, ?, ?, ?, 0, 1)";

    private final SecureRandom random;

    Seeder(long seed) {
        try {
            // A seeded DRBG: fast and repeatable. These tokens are benchmark data, not secrets.
            random = SecureRandom.getInstance("SHA1PRNG");
            random.setSeed(seed);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * Inserts {@code count} tokens into {@code tenant}, created from {@code start} on.
     *
     * @param keep which token numbers to remember
     * @return the hashes of the tokens whose number is in {@code keep}, by number
     */
    Map<Integer, String> seed(Connection connection, String tenant, int count, Instant start, Set<Integer> keep)
            throws SQLException {
        Map<Integer, String> kept = new TreeMap<>();
        HexFormat hex = HexFormat.of();
        byte[] id = new byte[12];
        connection.setAutoCommit(false);
        try (PreparedStatement insert = connection.prepareStatement(INSERT)) {
            for (int i = 0; i < count; i++) {
                String token = TokenFormat.generate(random);
                String hash = TokenHash.of(token);
                random.nextBytes(id);
                insert.setString(1, "tok_" + hex.formatHex(id));
                insert.setString(2, tenant);
                insert.setString(3, hash);
                insert.setString(4, TokenFormat.displayPrefix(token));
                insert.setString(5, "bench token " + i);
                insert.setString(6, "user" + (i % 1000));
                insert.setString(7, "read write");
                insert.setLong(8, start.toEpochMilli() + i / 4);
                insert.addBatch();
                if (keep.contains(i)) {
                    kept.put(i, hash);
                }
                if ((i + 1) % BATCH == 0 || i == count - 1) {
                    insert.executeBatch();
                    connection.commit();
                }
            }
        }
        connection.setAutoCommit(true);
        return kept;
    }
}
