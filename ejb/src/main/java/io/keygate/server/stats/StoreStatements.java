package io.keygate.server.stats;

import java.util.concurrent.atomic.LongAdder;
import org.eclipse.persistence.queries.Call;
import org.eclipse.persistence.sessions.SessionEvent;
import org.eclipse.persistence.sessions.SessionEventAdapter;

/**
 * Counts the SQL statements the store sends to the database, so that a test can prove what the hot path costs:
 * zero statements per request once the filters' caches are warm ({@code GET /keygate/api/v1/stats}).
 *
 * <p>Registered by class name through EclipseLink's {@value #PROPERTY} property, which other providers ignore: on
 * a server whose provider is not EclipseLink nothing is counted and {@link #installed()} is {@code false}.
 * EclipseLink raises {@code preExecuteCall} once for every statement it is about to run on a connection (reads,
 * writes, DDL), whichever session or unit of work runs it. The counts are static because EclipseLink creates the
 * listener itself; each deployment of {@code keygate.war} has its own class loader, and so its own counts.
 */
public class StoreStatements extends SessionEventAdapter {

    /** EclipseLink's property for session event listeners ({@code PersistenceUnitProperties.SESSION_EVENT_LISTENER_CLASS}). */
    public static final String PROPERTY = "eclipselink.session-event-listener";

    private static final LongAdder STATEMENTS = new LongAdder();
    private static final LongAdder QUERIES = new LongAdder();
    private static volatile boolean installed;

    /** Called by EclipseLink when it creates the session. */
    public StoreStatements() {
        installed = true;
    }

    @Override
    public void preExecuteCall(SessionEvent event) {
        STATEMENTS.increment();
        Call call = event.getCall();
        if (call != null && !call.isNothingReturned()) {
            QUERIES.increment();
        }
    }

    /** Whether the provider counts at all (EclipseLink created a listener). */
    public static boolean installed() {
        return installed;
    }

    /** Every statement run so far: reads, writes and DDL. */
    public static long statements() {
        return STATEMENTS.sum();
    }

    /** The statements that return rows (queries). */
    public static long queries() {
        return QUERIES.sum();
    }
}
