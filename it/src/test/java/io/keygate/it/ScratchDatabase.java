package io.keygate.it;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Locale;

/**
 * A fresh, empty PostgreSQL schema or MariaDB database for one test run, so that servers started by this run see
 * none of an earlier run's rows (nor of a Keygate server elsewhere on the same database server); dropped when
 * closed. Created by the test rather than by Keygate so that two servers starting at once do not race to create
 * it.
 *
 * <p>The local servers of the store tests: PostgreSQL 127.0.0.1:5432 (database {@code test}, user
 * {@code postgres}) and MariaDB 127.0.0.1:3306 (user {@code root}), both without password.
 */
final class ScratchDatabase implements AutoCloseable {

    enum Kind {
        POSTGRESQL("jdbc:postgresql://127.0.0.1:5432/test", "postgres"),
        MARIADB("jdbc:mariadb://127.0.0.1:3306/test", "root");

        private final String adminUrl;
        private final String user;

        Kind(String adminUrl, String user) {
            this.adminUrl = adminUrl;
            this.user = user;
        }
    }

    private final Kind kind;
    private final String name;

    private ScratchDatabase(Kind kind, String name) {
        this.kind = kind;
        this.name = name;
    }

    /** Creates {@code kg_<purpose>_<time>}: a schema on PostgreSQL, a database on MariaDB. */
    static ScratchDatabase create(Kind kind, String purpose) {
        String name = ("kg_" + purpose + "_" + Long.toString(System.currentTimeMillis(), 36)).toLowerCase(Locale.ROOT);
        administer(kind, (kind == Kind.POSTGRESQL ? "CREATE SCHEMA " : "CREATE DATABASE ") + name);
        return new ScratchDatabase(kind, name);
    }

    /** {@code KEYGATE_DB_URL} for a server storing into it. */
    String url() {
        return kind == Kind.POSTGRESQL ? kind.adminUrl + "?currentSchema=" + name
                : kind.adminUrl.replace("/test", "/" + name);
    }

    /** {@code KEYGATE_DB_USER}. */
    String user() {
        return kind.user;
    }

    String name() {
        return name;
    }

    @Override
    public void close() {
        administer(kind, kind == Kind.POSTGRESQL ? "DROP SCHEMA " + name + " CASCADE" : "DROP DATABASE " + name);
    }

    private static void administer(Kind kind, String sql) {
        try (Connection connection = DriverManager.getConnection(kind.adminUrl, kind.user, "");
                Statement statement = connection.createStatement()) {
            statement.execute(sql);
        } catch (SQLException e) {
            throw new AssertionError(kind + " at " + kind.adminUrl + ": " + sql + " failed: " + e.getMessage(), e);
        }
    }
}
