package io.keygate.server.store;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.Driver;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Locale;
import java.util.Optional;
import java.util.Properties;
import java.util.logging.Logger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Creates the PostgreSQL schema a {@code keygate.db.url} names in {@code currentSchema} when it does not exist,
 * so Keygate can be given a schema of its own ({@code jdbc:postgresql://db/app?currentSchema=keygate}) with no
 * step by hand: PostgreSQL connects to a missing schema without complaint and only refuses the first
 * {@code CREATE TABLE}.
 *
 * <p>Only plain identifiers are handled ({@code [A-Za-z_][A-Za-z0-9_]*}, folded to lower case as PostgreSQL folds
 * the unquoted names of {@code search_path}); any other name is left to the admin. Runs only when
 * {@code keygate.db.create-schema} is on.
 */
final class PostgresSchema {

    private static final Logger LOG = Logger.getLogger(PostgresSchema.class.getName());

    private static final Pattern CURRENT_SCHEMA = Pattern.compile("[?&]currentSchema=([^&]*)");
    private static final Pattern PLAIN_IDENTIFIER = Pattern.compile("[A-Za-z_][A-Za-z0-9_]{0,62}");

    private PostgresSchema() {
    }

    /** The first schema of {@code currentSchema} in a PostgreSQL URL, when it is a plain identifier. */
    static Optional<String> named(String url) {
        if (!url.startsWith("jdbc:postgresql:")) {
            return Optional.empty();
        }
        Matcher matcher = CURRENT_SCHEMA.matcher(url);
        if (!matcher.find()) {
            return Optional.empty();
        }
        String first = URLDecoder.decode(matcher.group(1), StandardCharsets.UTF_8).split(",")[0].strip();
        return PLAIN_IDENTIFIER.matcher(first).matches() ? Optional.of(first.toLowerCase(Locale.ROOT)) : Optional.empty();
    }

    /** Creates the schema {@code settings} names when it is missing; does nothing for any other store. */
    static void createIfMissing(StoreSettings settings) {
        if (settings.dataSourceName() != null || !settings.createSchema()) {
            return;
        }
        Optional<String> schema = named(settings.url());
        if (schema.isEmpty()) {
            return;
        }
        try (Connection connection = connect(settings)) {
            if (exists(connection, schema.get())) {
                return;
            }
            try (Statement statement = connection.createStatement()) {
                // A plain identifier (checked above), so it can be written into the statement unquoted.
                statement.execute("CREATE SCHEMA IF NOT EXISTS " + schema.get());
            }
            LOG.info(() -> "Keygate created the schema " + schema.get() + " in " + settings.describe());
        } catch (SQLException e) {
            throw new StoreUnavailableException("the token store (" + settings.describe() + ") is unavailable: cannot"
                    + " create the schema " + schema.get() + " named by currentSchema (SQLSTATE " + e.getSQLState()
                    + "); create it by hand or grant CREATE on the database", e);
        }
    }

    private static boolean exists(Connection connection, String schema) throws SQLException {
        try (PreparedStatement query = connection.prepareStatement("SELECT 1 FROM pg_namespace WHERE nspname = ?")) {
            query.setString(1, schema);
            try (ResultSet rows = query.executeQuery()) {
                return rows.next();
            }
        }
    }

    /** Through the driver itself rather than {@code DriverManager}, which does not see a WAR's drivers. */
    private static Connection connect(StoreSettings settings) throws SQLException {
        Driver driver;
        try {
            driver = (Driver) Class.forName(StoreSettings.driverFor(settings.url()), true,
                    PostgresSchema.class.getClassLoader()).getDeclaredConstructor().newInstance();
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("the PostgreSQL driver is missing from keygate.war", e);
        }
        Properties properties = new Properties();
        properties.setProperty("user", settings.user());
        properties.setProperty("password", settings.password());
        Connection connection = driver.connect(settings.url(), properties);
        if (connection == null) {
            throw new SQLException("the PostgreSQL driver does not accept the URL", "08001");
        }
        return connection;
    }
}
