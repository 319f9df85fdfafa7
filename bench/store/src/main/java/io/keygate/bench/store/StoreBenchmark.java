package io.keygate.bench.store;

import io.keygate.server.store.ApiToken;
import io.keygate.server.store.Cursor;
import io.keygate.server.store.Database;
import io.keygate.server.store.Page;
import io.keygate.server.store.TenantStore;
import io.keygate.server.store.TokenStore;
import io.keygate.server.store.Verification;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.Set;

/**
 * The store at scale: seeds one tenant with 10<sup>6</sup> tokens, then times, through the real store
 * ({@link TokenStore} on EclipseLink, as on the server):
 * <ul>
 * <li>verify of cold tokens: each of {@code --lookups} random tokens verified once (after a JVM warm-up on
 * other tokens), p50 and p99;</li>
 * <li>a page of 100 of the token listing, first and late (after 90 % of the rows, by cursor), median of 25, beside
 * the same page read with {@code OFFSET} for contrast.</li>
 * </ul>
 *
 * <pre>
 * java -jar bench/store/target/keygate-bench-store.jar [h2] [postgresql] [mariadb] [--tokens=N] [--lookups=N] [--keep]
 * </pre>
 *
 * Defaults: H2 and PostgreSQL, 1 000 000 tokens, 10 000 look-ups; the tokens are dropped at the end unless
 * {@code --keep} (to look at query plans). A benchmark, not a test: it asserts only that
 * the answers are right (every token verifies, every page is the expected one).
 */
public final class StoreBenchmark {

    private static final String TENANT = "bench";
    private static final int WARM_UP = 1_000;
    private static final int PAGE = 100;
    private static final int PAGE_RUNS = 25;

    private final int count;
    private final int lookups;
    private final boolean keep;
    private final Path target;

    private StoreBenchmark(int count, int lookups, boolean keep, Path target) {
        this.count = count;
        this.lookups = lookups;
        this.keep = keep;
        this.target = target;
    }

    public static void main(String[] args) throws Exception {
        int count = 1_000_000;
        int lookups = 10_000;
        boolean keep = false;
        List<BenchDatabase> databases = new ArrayList<>();
        for (String arg : args) {
            if (arg.equals("--keep")) {
                keep = true;
            } else if (arg.startsWith("--tokens=")) {
                count = Integer.parseInt(arg.substring("--tokens=".length()));
            } else if (arg.startsWith("--lookups=")) {
                lookups = Integer.parseInt(arg.substring("--lookups=".length()));
            } else {
                databases.add(BenchDatabase.named(arg).orElseThrow(() -> new IllegalArgumentException(
                        "usage: [h2] [postgresql] [mariadb] [--tokens=N] [--lookups=N] [--keep]; unknown: " + arg)));
            }
        }
        if (databases.isEmpty()) {
            databases = List.of(BenchDatabase.H2, BenchDatabase.POSTGRESQL);
        }
        if (lookups + WARM_UP > count) {
            throw new IllegalArgumentException("--lookups must leave " + WARM_UP + " tokens for the warm-up");
        }
        // target/, beside the jar: where the H2 file goes.
        Path target = Path.of(StoreBenchmark.class.getProtectionDomain().getCodeSource().getLocation().toURI())
                .getParent();
        System.out.printf(Locale.ROOT, "Keygate store benchmark: %,d tokens in one tenant, %,d cold verifies,"
                        + " pages of %d%nmachine: %d cores, Java %s, max heap %d MiB, %s %s%n",
                count, lookups, PAGE, Runtime.getRuntime().availableProcessors(), System.getProperty("java.version"),
                Runtime.getRuntime().maxMemory() >> 20, System.getProperty("os.name"), System.getProperty("os.arch"));
        StoreBenchmark benchmark = new StoreBenchmark(count, lookups, keep, target);
        for (BenchDatabase database : databases) {
            benchmark.run(database);
        }
    }

    private void run(BenchDatabase database) throws Exception {
        Path h2 = target.resolve("bench-h2");
        database.reset(h2);
        try (Database db = new Database(database.settings(h2)); Connection jdbc = database.connect(h2)) {
            db.connect();
            System.out.printf(Locale.ROOT, "%n== %s (%s %s)%n", database.name,
                    jdbc.getMetaData().getDatabaseProductName(), jdbc.getMetaData().getDatabaseProductVersion());
            Clock clock = Clock.systemUTC();
            new TenantStore(db, clock).create(TENANT, "Benchmark tenant", null);
            TokenStore tokens = new TokenStore(db, clock);

            List<String> sample = seed(database, jdbc);
            verify(tokens, sample);
            for (int depth : List.of(0, count / 2, count * 9 / 10, count - PAGE)) {
                page(tokens, jdbc, depth);
            }
        } finally {
            if (!keep) {
                database.drop(h2);
            }
        }
    }

    /** Seeds the tokens; returns the hashes of warm-up and sample tokens, in random order. */
    private List<String> seed(BenchDatabase database, Connection jdbc) throws SQLException {
        Random random = new Random(42);
        Set<Integer> chosen = new LinkedHashSet<>();
        while (chosen.size() < WARM_UP + lookups) {
            chosen.add(random.nextInt(count));
        }
        long start = System.nanoTime();
        Map<Integer, String> hashes = new Seeder(7).seed(jdbc, TENANT, count, Instant.parse("2026-01-01T00:00:00Z"),
                chosen);
        analyze(database, jdbc);
        double seconds = (System.nanoTime() - start) / 1e9;
        System.out.printf(Locale.ROOT, "seeded %,d tokens in %.1f s (%,.0f rows/s, JDBC batches of %,d, then ANALYZE)%n",
                count, seconds, count / seconds, Seeder.BATCH);
        List<String> order = new ArrayList<>();
        chosen.forEach(i -> order.add(hashes.get(i)));
        return order;
    }

    /** Fresh statistics, as the database would gather on its own some time after a bulk load. */
    private static void analyze(BenchDatabase database, Connection jdbc) throws SQLException {
        try (Statement statement = jdbc.createStatement()) {
            statement.execute(switch (database) {
                case H2 -> "ANALYZE";
                case POSTGRESQL -> "ANALYZE KG_TOKEN";
                case MARIADB -> "ANALYZE TABLE KG_TOKEN";
            });
        }
    }

    private void verify(TokenStore tokens, List<String> hashes) {
        Timings timings = new Timings(lookups);
        for (int i = 0; i < hashes.size(); i++) {
            long start = System.nanoTime();
            Verification verification = tokens.verify(hashes.get(i));
            long elapsed = System.nanoTime() - start;
            if (!(verification instanceof Verification.Valid)) {
                throw new IllegalStateException("a seeded token did not verify: " + verification);
            }
            if (i >= WARM_UP) {
                timings.add(elapsed);
            }
        }
        System.out.printf(Locale.ROOT, "verify, cold token (%,d tokens, each once): p50 %s, p99 %s, mean %s%n",
                lookups, Timings.ms(timings.percentileMillis(50)), Timings.ms(timings.percentileMillis(99)),
                Timings.ms(timings.meanMillis()));
    }

    /** Times the page that starts after {@code depth} rows, by cursor through the store and by OFFSET in SQL. */
    private void page(TokenStore tokens, Connection jdbc, int depth) throws SQLException {
        Cursor cursor = depth == 0 ? null : cursorAfter(jdbc, depth);
        Timings keyset = new Timings(PAGE_RUNS);
        Page<ApiToken> page = null;
        for (int run = 0; run < PAGE_RUNS + 5; run++) {
            long start = System.nanoTime();
            page = tokens.list(TENANT, PAGE, cursor);
            if (run >= 5) {
                keyset.add(System.nanoTime() - start);
            }
        }
        Timings offset = new Timings(5);
        String first = null;
        for (int run = 0; run < 6; run++) {
            long start = System.nanoTime();
            first = firstIdByOffset(jdbc, depth);
            if (run >= 1) {
                offset.add(System.nanoTime() - start);
            }
        }
        if (page.items().size() != PAGE || !page.items().get(0).getId().equals(first)) {
            throw new IllegalStateException("the page after " + depth + " rows is not the expected one");
        }
        System.out.printf(Locale.ROOT, "listing page of %d after %,9d rows: by cursor %s (median of %d);"
                        + " by OFFSET in SQL %s%n", PAGE, depth, Timings.ms(keyset.percentileMillis(50)), PAGE_RUNS,
                Timings.ms(offset.percentileMillis(50)));
    }

    /** The tenant's listing as {@link TokenStore#list} orders it, in plain SQL. */
    private static final String NEWEST_FIRST = "SELECT CREATED_AT, ID FROM KG_TOKEN WHERE TENANT_SLUG = ?"
            + " AND PARENT_ID IS NULL ORDER BY TENANT_SLUG DESC, PARENT_ID DESC, CREATED_AT DESC, ID DESC"
            + " LIMIT ? OFFSET ?";

    /** The cursor a client holds after reading {@code depth} rows: the position of row {@code depth}. */
    private static Cursor cursorAfter(Connection jdbc, int depth) throws SQLException {
        try (ResultSet row = newestFirst(jdbc, 1, depth - 1)) {
            row.next();
            return new Cursor(Instant.ofEpochMilli(row.getLong(1)), row.getString(2));
        }
    }

    /** The first id of the page after {@code depth} rows, the way an OFFSET-paged API would read it. */
    private static String firstIdByOffset(Connection jdbc, int depth) throws SQLException {
        try (ResultSet rows = newestFirst(jdbc, PAGE, depth)) {
            List<String> ids = new ArrayList<>();
            while (rows.next()) {
                ids.add(rows.getString(2));
            }
            return ids.isEmpty() ? null : ids.get(0);
        }
    }

    private static ResultSet newestFirst(Connection jdbc, int limit, int offset) throws SQLException {
        PreparedStatement query = jdbc.prepareStatement(NEWEST_FIRST);
        query.closeOnCompletion();
        query.setString(1, TENANT);
        query.setInt(2, limit);
        query.setInt(3, offset);
        return query.executeQuery();
    }
}
