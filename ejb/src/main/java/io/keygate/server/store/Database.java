package io.keygate.server.store;

import io.keygate.server.stats.StoreStatements;
import jakarta.persistence.EntityManager;
import jakarta.persistence.EntityManagerFactory;
import jakarta.persistence.EntityTransaction;
import jakarta.persistence.OptimisticLockException;
import jakarta.persistence.PersistenceException;
import jakarta.persistence.RollbackException;
import jakarta.persistence.spi.PersistenceProvider;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.function.Function;
import javax.naming.InitialContext;
import javax.naming.NamingException;
import javax.sql.DataSource;

/**
 * The entity manager factory and the one way Keygate touches it: short resource-local transactions that
 * either commit whole or leave nothing behind.
 *
 * <p>Failures are translated once, here: a uniqueness or optimistic-lock failure becomes
 * {@link ConflictException} (409), anything else from the database {@link StoreUnavailableException} (503).
 *
 * <p>Every call tells {@link StoreOutage} whether the database answered, so that an outage is logged once.
 */
public class Database implements AutoCloseable {

    private final EntityManagerFactory factory;
    private final String description;
    private final boolean createsSchema;
    private final boolean mariaDb;
    private final StoreOutage outage;

    public Database(StoreSettings settings) {
        this.description = settings.describe();
        this.createsSchema = settings.createSchema();
        this.outage = new StoreOutage(description);
        PostgresSchema.createIfMissing(settings);
        DataSource dataSource = dataSource(settings);
        this.mariaDb = dataSource == null ? settings.url().startsWith("jdbc:mariadb:") : isMariaDb(dataSource);
        PersistenceProvider provider = provider();
        Map<String, Object> properties = new HashMap<>(settings.jpaProperties());
        // Counts every SQL statement, for GET /api/v1/stats; only EclipseLink reads this key.
        properties.put(StoreStatements.PROPERTY, StoreStatements.class.getName());
        this.factory = provider.createContainerEntityManagerFactory(
                new KeygatePersistenceUnit(dataSource), properties);
    }

    /** Runs {@code work} in a transaction of its own and commits it. */
    public <T> T inTransaction(Function<EntityManager, T> work) {
        EntityManager em = open();
        EntityTransaction tx = em.getTransaction();
        try {
            tx.begin();
            T result = work.apply(em);
            tx.commit();
            outage.succeeded();
            return result;
        } catch (RuntimeException e) {
            if (tx.isActive()) {
                tx.rollback();
            }
            throw translate(e);
        } finally {
            em.close();
        }
    }

    /** Runs read-only {@code work}. */
    public <T> T read(Function<EntityManager, T> work) {
        EntityManager em = open();
        try {
            T result = work.apply(em);
            outage.succeeded();
            return result;
        } catch (RuntimeException e) {
            throw translate(e);
        } finally {
            em.close();
        }
    }

    /**
     * Forces the provider to connect and create the schema now, so a bad store shows at start-up. Both tables are
     * read, so with {@code keygate.db.create-schema=false} a missing table fails the deployment here.
     */
    public void connect() {
        try {
            read(em -> em.createQuery("SELECT COUNT(t) FROM Tenant t", Long.class).getSingleResult()
                    + em.createQuery("SELECT COUNT(t) FROM ApiToken t WHERE t.id = ''", Long.class).getSingleResult());
        } catch (StoreUnavailableException e) {
            if (createsSchema) {
                throw e;
            }
            throw new StoreUnavailableException(e.getMessage() + "; " + StoreSettings.CREATE_SCHEMA + " is false,"
                    + " so Keygate creates no table: when they are missing, run docs/schema/<database>.sql", e.getCause());
        }
    }

    /**
     * Asks the database a question it answers from an index, for the readiness check: it fails with
     * {@link StoreUnavailableException} when the database does not answer within {@code timeout} (once connected).
     * A JPQL query, not a native {@code SELECT 1}: EclipseLink retries only the former on a pooled connection that
     * died with a database restart, and the check would be DOWN for a moment after every restart.
     */
    public void ping(Duration timeout) {
        read(em -> em.createQuery("SELECT COUNT(t) FROM ApiToken t WHERE t.id = ''", Long.class)
                .setHint("jakarta.persistence.query.timeout", (int) timeout.toMillis()).getSingleResult());
    }

    public String description() {
        return description;
    }

    /** Whether the store is MariaDB, whose optimizer needs the token listing spelt out ({@link TokenListing}). */
    boolean isMariaDb() {
        return mariaDb;
    }

    /** The provider's factory, for the store's tests, which watch the provider at work. */
    EntityManagerFactory factory() {
        return factory;
    }

    @Override
    public void close() {
        if (factory.isOpen()) {
            factory.close();
        }
    }

    private EntityManager open() {
        try {
            return factory.createEntityManager();
        } catch (PersistenceException e) {
            throw unavailable(e);
        }
    }

    private RuntimeException translate(RuntimeException e) {
        if (e instanceof ConflictException || e instanceof StoreUnavailableException
                || !(e instanceof PersistenceException)) {
            return e;
        }
        if (e instanceof OptimisticLockException || e.getCause() instanceof OptimisticLockException
                || isConstraintViolation(e)) {
            return new ConflictException("the resource was changed at the same time by another request");
        }
        if (e instanceof RollbackException && e.getCause() instanceof RuntimeException cause) {
            return translate(cause);
        }
        return unavailable(e);
    }

    /** The 503 for {@code e}; when the database could not be reached, an outage begins or goes on. */
    private StoreUnavailableException unavailable(RuntimeException e) {
        boolean lost = StoreOutage.isConnectionFailure(e);
        if (lost) {
            outage.failed(e);
        }
        return new StoreUnavailableException("the token store (" + description + ") is unavailable", e, lost);
    }

    /** SQLSTATE class 23 is "integrity constraint violation" on every database (ISO/IEC 9075). */
    private static boolean isConstraintViolation(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof SQLException sql && sql.getSQLState() != null && sql.getSQLState().startsWith("23")) {
                return true;
            }
        }
        return false;
    }

    /**
     * EclipseLink, by its class, never whichever provider the server's resolver lists first: on WildFly that is
     * Hibernate, which reads none of the {@code eclipselink.*} properties Keygate relies on (schema creation, the
     * fail-fast connections, {@link StoreLog}, the statement counter). Payara ships EclipseLink; the WildFly variant
     * of the WAR bundles it.
     */
    static PersistenceProvider provider() {
        return new org.eclipse.persistence.jpa.PersistenceProvider();
    }

    private boolean isMariaDb(DataSource dataSource) {
        try (Connection connection = dataSource.getConnection()) {
            return connection.getMetaData().getDatabaseProductName().contains("MariaDB");
        } catch (SQLException e) {
            throw new StoreUnavailableException("the token store (" + description + ") is unavailable", e);
        }
    }

    private static DataSource dataSource(StoreSettings settings) {
        if (settings.dataSourceName() == null) {
            return null;
        }
        try {
            return (DataSource) new InitialContext().lookup(settings.dataSourceName());
        } catch (NamingException e) {
            throw new IllegalStateException(StoreSettings.DATASOURCE + " names '" + settings.dataSourceName()
                    + "', which is not a data source on this server", e);
        }
    }
}
