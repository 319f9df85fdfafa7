package io.keygate.server.store;

import java.sql.SQLException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.atomic.LongAdder;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Reports an outage of the token store once: when the database cannot be reached, the first failure is logged as
 * a warning with its cause, and the first success afterwards says how long it lasted and how many calls failed
 * meanwhile. The failures in between are not logged (by Keygate, nor by EclipseLink: {@link StoreLog}), so that a
 * database down under load does not flood the server log with a stack trace per request.
 */
final class StoreOutage {

    private static final Logger LOG = Logger.getLogger(StoreOutage.class.getName());

    /** An outage in progress: when it began ({@link System#nanoTime()}) and how many calls failed since. */
    private record Outage(long since, LongAdder failures) {
    }

    private final String description;
    /** The outage in progress, or {@code null}. */
    private final AtomicReference<Outage> outage = new AtomicReference<>();

    /** @param description the store as a log line names it, never with a password */
    StoreOutage(String description) {
        this.description = description;
    }

    /** A call failed because the database could not be reached: an outage begins, or goes on. */
    void failed(Throwable cause) {
        Outage current = outage.get();
        if (current != null) {
            current.failures().increment();
        } else if (outage.compareAndSet(null, new Outage(System.nanoTime(), new LongAdder()))) {
            LOG.warning(() -> "Keygate cannot reach its token store (" + description + "): " + rootCause(cause)
                    + ". Requests that need the store get 503 until it is back; Keygate logs when it is, not each"
                    + " failed request");
            LOG.log(Level.FINE, "The first failure of the outage", cause);
        } else {
            failed(cause);
        }
    }

    /** A call succeeded: if an outage was in progress, it is over. One volatile read when there was none. */
    void succeeded() {
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
     * SQL standard gives SQLSTATE class 08 ("connection exception"; PostgreSQL and MariaDB use it); a server that is
     * shutting down or starting and refuses connections, PostgreSQL's class 57P ("operator intervention":
     * {@code 57P01} admin shutdown, {@code 57P03} cannot connect now, the answer while it stops); or a socket failure
     * underneath.
     */
    static boolean isConnectionFailure(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof SQLException sql && sql.getSQLState() != null
                    && (sql.getSQLState().startsWith("08") || sql.getSQLState().startsWith("57P"))) {
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
}
