package io.keygate.server.store;

import io.keygate.server.stats.StoreStatements;
import jakarta.persistence.EntityManager;
import jakarta.persistence.EntityManagerFactory;
import jakarta.persistence.EntityTransaction;
import jakarta.persistence.OptimisticLockException;
import jakarta.persistence.PersistenceException;
import jakarta.persistence.RollbackException;
import jakarta.persistence.spi.PersistenceProvider;
import jakarta.persistence.spi.PersistenceProviderResolverHolder;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Function;
import java.util.logging.Level;
import java.util.logging.Logger;
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
 * <p>Outages are reported here too, once each: when the database cannot be reached, the first failure is logged
 * as a warning with its cause, and the first success afterwards says how long it lasted and how many calls failed
 * meanwhile. The failures in between are not logged (by Keygate, nor by EclipseLink: {@link StoreLog}), so that a
 * database down under load does not flood the server log with a stack trace per request.
 */
public class Database implements AutoCloseable {

    private static final Logger LOG = Logger.getLogger(Database.class.getName());

    /** An outage in progress: when it began ({@link System#nanoTime()}) and how many calls failed since. */
    private record Outage(long since, LongAdder failures) {
    }

    private final EntityManagerFactory factory;
    private final String description;
    private final boolean createsSchema;
    private final boolean mariaDb;
    /** The outage in progress, or {@code null}. */
    private final AtomicReference<Outage> outage = new AtomicReference<>();

    public Database(StoreSettings settings) {
        this.description = settings.describe();
        this.createsSchema = settings.createSchema();
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
            reachable();
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
            reachable();
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
        boolean lost = isConnectionFailure(e);
        if (lost) {
            unreachable(e);
        }
        return new StoreUnavailableException("the token store (" + description + ") is unavailable", e, lost);
    }

    private void unreachable(Throwable cause) {
        Outage current = outage.get();
        if (current != null) {
            current.failures().increment();
        } else if (outage.compareAndSet(null, new Outage(System.nanoTime(), new LongAdder()))) {
            LOG.warning(() -> "Keygate cannot reach its token store (" + description + "): " + rootCause(cause)
                    + ". Requests that need the store get 503 until it is back; Keygate logs when it is, not each"
                    + " failed request");
            LOG.log(Level.FINE, "The first failure of the outage", cause);
        } else {
            unreachable(cause);
        }
    }

    /** A call succeeded: if an outage was in progress, it is over. One volatile read when there was none. */
    private void reachable() {
        if (outage.get() == null) {
            return;
        }
        Outage ended = outage.getAndSet(null);
        if (ended != null) {
            long seconds = TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - ended.since());
            long failures = ended.failures().sum() + 1;
            LOG.info(() -> "Keygate reaches its token store (" + description + ") again, after " + seconds
                    + " s; " + failures + " store calls failed meanwhile");
        }
    }

    /**
     * Whether {@code e} says the database could not be reached: a connection refused, broken or lost, which the
     * SQL standard gives SQLSTATE class 08 ("connection exception"; PostgreSQL and MariaDB use it), or a
     * socket failure underneath. Used by {@link StoreLog} too.
     */
    static boolean isConnectionFailure(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof SQLException sql && sql.getSQLState() != null && sql.getSQLState().startsWith("08")) {
                return true;
            }
            if (t instanceof java.net.ConnectException || t instanceof java.net.NoRouteToHostException) {
                return true;
            }
        }
        return false;
    }

    /** The innermost cause, class and message, for a log line. */
    private static String rootCause(Throwable e) {
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        return root.getClass().getName() + ": " + root.getMessage();
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

    private static PersistenceProvider provider() {
        List<PersistenceProvider> providers =
                PersistenceProviderResolverHolder.getPersistenceProviderResolver().getPersistenceProviders();
        if (providers.isEmpty()) {
            throw new IllegalStateException("no Jakarta Persistence provider is available on this server");
        }
        return providers.get(0);
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
