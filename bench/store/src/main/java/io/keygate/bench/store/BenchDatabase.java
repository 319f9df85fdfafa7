package io.keygate.bench.store;

import io.keygate.server.store.StoreSettings;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Comparator;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * Where the benchmark stores its tokens: a throw-away place of its own on each database, emptied before a run
 * and dropped after it. PostgreSQL and MariaDB default to the local servers; the system properties
 * {@code keygate.bench.<name>.url}, {@code .user} and {@code .password} point elsewhere.
 */
enum BenchDatabase {

    /** An H2 file database in the benchmark's target folder, as Keygate's default is an H2 file in ~/.keygate. */
    H2("h2", null, ""),
    /** Schema keygate_bench of database test, created by Keygate itself (currentSchema). */
    POSTGRESQL("postgresql", "jdbc:postgresql://127.0.0.1:5432/test?currentSchema=keygate_bench", "postgres"),
    /** Database keygate_bench. */
    MARIADB("mariadb", "jdbc:mariadb://127.0.0.1:3306/keygate_bench", "root");

    static final String PLACE = "keygate_bench";

    final String name;
    private final String defaultUrl;
    private final String defaultUser;

    BenchDatabase(String name, String defaultUrl, String defaultUser) {
        this.name = name;
        this.defaultUrl = defaultUrl;
        this.defaultUser = defaultUser;
    }

    static Optional<BenchDatabase> named(String name) {
        return Stream.of(values()).filter(d -> d.name.equals(name)).findFirst();
    }

    String url(Path h2Folder) {
        if (this == H2) {
            return "jdbc:h2:file:" + h2Folder.toAbsolutePath().resolve("keygate");
        }
        return System.getProperty("keygate.bench." + name + ".url", defaultUrl);
    }

    private String user() {
        return System.getProperty("keygate.bench." + name + ".user", defaultUser);
    }

    private String password() {
        return System.getProperty("keygate.bench." + name + ".password", "");
    }

    /** Keygate's settings for this place, as its configuration keys would give them. */
    StoreSettings settings(Path h2Folder) {
        Map<String, String> config = Map.of(StoreSettings.DB_URL, url(h2Folder),
                StoreSettings.DB_USER, user(), StoreSettings.DB_PASSWORD, password());
        return StoreSettings.from(key -> Optional.ofNullable(config.get(key)));
    }

    Connection connect(Path h2Folder) throws SQLException {
        return DriverManager.getConnection(url(h2Folder), user(), password());
    }

    /** Removes what an earlier run left; Keygate creates its schema anew when the store opens. */
    void reset(Path h2Folder) throws Exception {
        drop(h2Folder);
        if (this == MARIADB) {
            administer("CREATE DATABASE " + PLACE);
        }
    }

    void drop(Path h2Folder) throws Exception {
        switch (this) {
            case H2 -> {
                if (Files.exists(h2Folder)) {
                    try (Stream<Path> files = Files.walk(h2Folder)) {
                        for (Path file : files.sorted(Comparator.reverseOrder()).toList()) {
                            Files.delete(file);
                        }
                    }
                }
            }
            case POSTGRESQL -> {
                try (Connection connection = connect(h2Folder); Statement statement = connection.createStatement()) {
                    statement.execute("DROP SCHEMA IF EXISTS " + PLACE + " CASCADE");
                }
            }
            case MARIADB -> administer("DROP DATABASE IF EXISTS " + PLACE);
        }
    }

    /** A statement on the MariaDB server itself, outside the benchmark's database. */
    private void administer(String sql) throws SQLException {
        String server = url(null).substring(0, url(null).lastIndexOf('/') + 1);
        try (Connection connection = DriverManager.getConnection(server, user(), password());
                Statement statement = connection.createStatement()) {
            statement.execute(sql);
        }
    }
}
