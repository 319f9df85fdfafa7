package io.keygate.server.store;

import static org.junit.jupiter.api.Assertions.fail;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import org.junit.jupiter.api.Assumptions;

/**
 * The three databases the store is tested on, and how a test gets a fresh, empty schema of its own on each.
 *
 * <p>PostgreSQL and MariaDB are the local servers every machine of this project runs (trust authentication,
 * database {@code test}). Each scratch schema has a name of its own ({@code kg_test_...}), so test runs do not
 * collide with each other or with a Keygate server using the same database, and is dropped afterwards.
 *
 * <p>A server that is not reachable makes its tests <em>skipped</em>, with a message naming the database and
 * its address, unless the environment variable {@value #REQUIRE} is {@code true} (as in CI), which makes them
 * fail.
 */
enum TestDatabase {

    H2("H2", "in memory", null, "", "h2.sql"),
    POSTGRESQL("PostgreSQL", "127.0.0.1:5432", "jdbc:postgresql://127.0.0.1:5432/test", "postgres", "postgresql.sql"),
    MARIADB("MariaDB", "127.0.0.1:3306", "jdbc:mariadb://127.0.0.1:3306/test", "root", "mariadb.sql");

    /** Environment variable that turns an unreachable database from a skip into a failure. */
    static final String REQUIRE = "KEYGATE_REQUIRE_DATABASES";

    /** Why a database could not be reached, found once per test run rather than once per test. */
    private static final Map<TestDatabase, String> UNREACHABLE = new ConcurrentHashMap<>();

    final String label;
    final String address;
    private final String adminUrl;
    final String user;
    /** The documented DDL for this database, in {@code docs/schema/}. */
    final String ddlFile;

    TestDatabase(String label, String address, String adminUrl, String user, String ddlFile) {
        this.label = label;
        this.address = address;
        this.adminUrl = adminUrl;
        this.user = user;
        this.ddlFile = ddlFile;
    }

    /**
     * A new, empty schema (PostgreSQL), database (MariaDB) or in-memory database (H2), dropped by
     * {@link Scratch#close()}. Skips the calling test, or fails it when {@value #REQUIRE} is {@code true}, when
     * the server is not reachable.
     */
    Scratch createScratch() {
        String name = "kg_test_" + Long.toString(System.currentTimeMillis(), 36)
                + "_" + Integer.toString(ThreadLocalRandom.current().nextInt(1 << 30), 36);
        switch (this) {
            case H2 -> {
                return new Scratch(this, name, "jdbc:h2:mem:" + name + ";DB_CLOSE_DELAY=-1");
            }
            case POSTGRESQL -> {
                requireReachable();
                administer("CREATE SCHEMA " + name);
                return new Scratch(this, name, adminUrl + "?currentSchema=" + name);
            }
            default -> {
                requireReachable();
                administer("CREATE DATABASE " + name);
                return new Scratch(this, name, adminUrl.replace("/test", "/" + name));
            }
        }
    }

    /** Drops what {@link #createScratch()} made. */
    void drop(Scratch scratch) {
        switch (this) {
            case H2 -> {
                try (Connection connection = connect(scratch.url()); var statement = connection.createStatement()) {
                    statement.execute("SHUTDOWN");
                } catch (SQLException e) {
                    throw new IllegalStateException("H2: cannot shut down " + scratch.name(), e);
                }
            }
            case POSTGRESQL -> administer("DROP SCHEMA " + scratch.name() + " CASCADE");
            default -> administer("DROP DATABASE " + scratch.name());
        }
    }

    /** Runs one statement on the server's {@code test} database. */
    private void administer(String sql) {
        try (Connection connection = connect(adminUrl); var statement = connection.createStatement()) {
            statement.execute(sql);
        } catch (SQLException e) {
            throw new IllegalStateException(label + " at " + address + ": " + sql + " failed", e);
        }
    }

    Connection connect(String url) throws SQLException {
        Properties properties = new Properties();
        properties.setProperty("user", user);
        properties.setProperty("password", "");
        // Fail fast when nothing listens; a firewalled port would otherwise hang for the driver's default.
        properties.setProperty("connectTimeout", this == POSTGRESQL ? "5" : "5000");
        return DriverManager.getConnection(url, properties);
    }

    private void requireReachable() {
        String reason = UNREACHABLE.computeIfAbsent(this, database -> {
            try (Connection connection = connect(adminUrl)) {
                return connection.isValid(5) ? "" : "the connection is not valid";
            } catch (SQLException e) {
                return e.getMessage();
            }
        });
        if (reason.isEmpty()) {
            return;
        }
        String message = label + " at " + address + " (database test, user " + user + ") is not reachable: " + reason;
        if ("true".equalsIgnoreCase(System.getenv(REQUIRE))) {
            fail(message + " (" + REQUIRE + "=true requires it)");
        }
        Assumptions.abort(message + " (skipped; " + REQUIRE + "=true makes this a failure)");
    }
}
