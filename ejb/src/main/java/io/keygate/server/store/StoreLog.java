package io.keygate.server.store;

import org.eclipse.persistence.exceptions.DatabaseException;
import org.eclipse.persistence.logging.JavaLog;
import org.eclipse.persistence.logging.SessionLog;
import org.eclipse.persistence.logging.SessionLogEntry;

/**
 * EclipseLink's log, through {@code java.util.logging} as by default, except for failures to reach the database:
 * those are logged at {@code FINE} instead of {@code WARNING} or {@code SEVERE}. EclipseLink logs such a failure
 * with its stack trace two or three times for every store call (once per connection attempt, once more when it
 * gives up), which while the database was down under load wrote some 35 KB of log per request. {@link Database}
 * reports the outage instead, once when it begins and once when it ends. Likewise the failure of the check by which
 * EclipseLink finds {@link ClusterMessageRow}'s sequence missing, on the first start on a new database, just before it
 * creates it: a warning with a stack trace for what is no fault. Every other EclipseLink message is logged as before.
 *
 * <p>Registered by class name through EclipseLink's {@value #PROPERTY} property; other providers ignore it.
 */
public class StoreLog extends JavaLog {

    /** EclipseLink's property for its log ({@code PersistenceUnitProperties.LOGGING_LOGGER}). */
    public static final String PROPERTY = "eclipselink.logging.logger";

    @Override
    public void log(SessionLogEntry entry) {
        if (entry.getLevel() > SessionLog.FINE && entry.hasException()
                && (StoreOutage.isConnectionFailure(entry.getException()) || isSequenceCheck(entry.getException()))) {
            entry.setLevel(SessionLog.FINE);
        }
        super.log(entry);
    }

    private static boolean isSequenceCheck(Throwable e) {
        return e instanceof DatabaseException database && database.getQuery() != null
                && database.getQuery().getSQLString() != null
                && database.getQuery().getSQLString().contains(ClusterMessageRow.SEQUENCE);
    }
}
