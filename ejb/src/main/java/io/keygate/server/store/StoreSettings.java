package io.keygate.server.store;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Function;
import java.util.function.UnaryOperator;

/**
 * Where the tokens are stored, read once at start-up.
 *
 * <table>
 * <caption>Configuration keys (MicroProfile Config names; environment variables in upper case with {@code _})</caption>
 * <tr><th>key</th><th>default</th><th>meaning</th></tr>
 * <tr><td>{@code keygate.datasource}</td><td>none</td><td>JNDI name of a server-defined data source; wins over the JDBC keys</td></tr>
 * <tr><td>{@code keygate.db.url}</td><td>{@code jdbc:h2:file:<data-dir>/keygate}</td><td>JDBC URL (H2, PostgreSQL or MariaDB)</td></tr>
 * <tr><td>{@code keygate.db.user}</td><td>empty</td><td>database user</td></tr>
 * <tr><td>{@code keygate.db.password}</td><td>empty</td><td>database password</td></tr>
 * <tr><td>{@code keygate.data-dir}</td><td>{@code ${jboss.server.data.dir}/keygate} on WildFly, else
 * {@code ~/.keygate}</td><td>folder of the default H2 database</td></tr>
 * <tr><td>{@code keygate.db.create-schema}</td><td>{@code true}</td><td>create missing tables and indexes (and a
 * missing PostgreSQL {@code currentSchema}) at start-up; {@code false}: never issue DDL, the admin ran
 * {@code docs/schema/<database>.sql}</td></tr>
 * </table>
 *
 * @param dataSourceName JNDI name of a server data source, or {@code null}
 * @param url            JDBC URL used when there is no data source
 * @param user           database user, may be empty
 * @param password       database password, may be empty; never logged
 * @param createSchema   whether Keygate creates what is missing of its schema at start-up
 */
public record StoreSettings(String dataSourceName, String url, String user, String password, boolean createSchema) {

    public static final String DATASOURCE = "keygate.datasource";
    public static final String DB_URL = "keygate.db.url";
    public static final String DB_USER = "keygate.db.user";
    public static final String DB_PASSWORD = "keygate.db.password";
    public static final String DATA_DIR = "keygate.data-dir";
    public static final String CREATE_SCHEMA = "keygate.db.create-schema";
    /**
     * WildFly's data folder of the server ({@code standalone/data}), a system property WildFly always sets: the
     * default H2 database goes there, beside the server's other state, and not into the home of the service user,
     * which often has none or a read-only one.
     */
    static final String WILDFLY_DATA_DIR = "jboss.server.data.dir";

    /**
     * The drivers {@code keygate.war} ships, by URL prefix. No {@code jdbc:mysql:}: MariaDB Connector/J 3 refuses
     * that scheme unless told otherwise, and MySQL is not a database Keygate is tested on.
     */
    private static final Map<String, String> DRIVERS = Map.of(
            "jdbc:h2:", "org.h2.Driver",
            "jdbc:postgresql:", "org.postgresql.Driver",
            "jdbc:mariadb:", "org.mariadb.jdbc.Driver");

    /** Reads and validates the settings; a bad value fails the deployment with a message naming the key. */
    public static StoreSettings from(Function<String, Optional<String>> config) {
        return from(config, System::getProperty);
    }

    /** As {@link #from(Function)}, with the JVM's system properties (the server's folders) given by the caller. */
    static StoreSettings from(Function<String, Optional<String>> config, UnaryOperator<String> systemProperties) {
        String dataSource = config.apply(DATASOURCE).filter(s -> !s.isBlank()).orElse(null);
        String url = config.apply(DB_URL).filter(s -> !s.isBlank())
                .orElseGet(() -> defaultUrl(config, systemProperties));
        if (dataSource == null && driverFor(url) == null) {
            throw new IllegalArgumentException(DB_URL + " must be a jdbc:h2:, jdbc:postgresql: or jdbc:mariadb: URL,"
                    + " got '" + url + "'");
        }
        return new StoreSettings(dataSource, url,
                config.apply(DB_USER).orElse(""), config.apply(DB_PASSWORD).orElse(""), createSchema(config));
    }

    private static boolean createSchema(Function<String, Optional<String>> config) {
        String value = config.apply(CREATE_SCHEMA).map(String::strip).filter(s -> !s.isEmpty()).orElse("true");
        if (value.equalsIgnoreCase("true") || value.equalsIgnoreCase("false")) {
            return Boolean.parseBoolean(value);
        }
        throw new IllegalArgumentException(CREATE_SCHEMA + " must be true or false, got '" + value + "'");
    }

    private static String defaultUrl(Function<String, Optional<String>> config, UnaryOperator<String> systemProperties) {
        Path dir = config.apply(DATA_DIR).filter(s -> !s.isBlank()).map(Path::of)
                .orElseGet(() -> defaultDataDir(systemProperties));
        // DB_CLOSE_ON_EXIT=FALSE: H2's own shutdown hook would otherwise close the database while the server's
        // hook is still stopping keygate.war, whose last batch of usage counts would then find it closed.
        return "jdbc:h2:file:" + dir.toAbsolutePath().resolve("keygate") + ";DB_CLOSE_ON_EXIT=FALSE";
    }

    /** {@code ${jboss.server.data.dir}/keygate} on WildFly, {@code ~/.keygate} elsewhere. */
    private static Path defaultDataDir(UnaryOperator<String> systemProperties) {
        String wildFly = systemProperties.apply(WILDFLY_DATA_DIR);
        if (wildFly != null && !wildFly.isBlank()) {
            return Path.of(wildFly, "keygate");
        }
        return Path.of(systemProperties.apply("user.home"), ".keygate");
    }

    static String driverFor(String url) {
        return DRIVERS.entrySet().stream().filter(e -> url.startsWith(e.getKey()))
                .map(Map.Entry::getValue).findFirst().orElse(null);
    }

    /** The standard JPA properties for the provider, plus the schema action. */
    Map<String, Object> jpaProperties() {
        Map<String, Object> properties = new HashMap<>();
        if (dataSourceName == null) {
            properties.put("jakarta.persistence.jdbc.driver", driverFor(url));
            properties.put("jakarta.persistence.jdbc.url", url);
            properties.put("jakarta.persistence.jdbc.user", user);
            properties.put("jakarta.persistence.jdbc.password", password);
        }
        if (createSchema) {
            // Creates missing tables and indexes at start-up, leaves existing ones alone.
            properties.put("eclipselink.ddl-generation", "create-or-extend-tables");
            properties.put("eclipselink.ddl-generation.output-mode", "database");
        } else {
            properties.put("eclipselink.ddl-generation", "none");
            properties.put("jakarta.persistence.schema-generation.database.action", "none");
        }
        // EclipseLink names the session, and after it its loggers and MBeans, by the URL and the user unless told a
        // name: that put the URL into every store log line's category and made the MBean registration fail with a
        // warning at each start. One name per store, as the default is.
        properties.put("eclipselink.session-name", "keygate-"
                + Integer.toHexString(Objects.hash(dataSourceName, url, user)));
        properties.put("eclipselink.weaving", "false");
        properties.put("eclipselink.logging.level", "WARNING");
        // EclipseLink's own log, but an outage is reported once by Database, not per request by EclipseLink.
        properties.put(StoreLog.PROPERTY, StoreLog.class.getName());
        properties.put("eclipselink.connection-pool.default.min", "2");
        properties.put("eclipselink.connection-pool.default.max", "16");
        // While the database is down, fail in milliseconds (503) instead of retrying for 10 seconds.
        properties.put(FailFastSessionCustomizer.PROPERTY, FailFastSessionCustomizer.class.getName());
        return properties;
    }

    /**
     * Whether the store is a database server that several servers can share (PostgreSQL, MariaDB, or a data source
     * of the server, which is one as a rule) rather than an embedded H2, which one server at a time opens.
     */
    public boolean isServerDatabase() {
        return dataSourceName != null || !url.startsWith("jdbc:h2:") || url.startsWith("jdbc:h2:tcp:")
                || url.startsWith("jdbc:h2:ssl:");
    }

    /** What the log may say about the store: the URL without credentials. */
    public String describe() {
        return dataSourceName != null ? "data source " + dataSourceName : url.replaceAll("(?i)password=[^;&]*", "password=***");
    }
}
