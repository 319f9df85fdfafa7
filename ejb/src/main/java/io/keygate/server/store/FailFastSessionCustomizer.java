package io.keygate.server.store;

import org.eclipse.persistence.config.SessionCustomizer;
import org.eclipse.persistence.sessions.DatabaseLogin;
import org.eclipse.persistence.sessions.Session;

/**
 * Makes a store call fail at once when the database is down, so the admin API and every protected WAR answer
 * 503 in milliseconds instead of holding the request.
 *
 * <p>EclipseLink retries a read whose connection broke: by default three times, the last two after waiting five
 * seconds each. While the database was down, that held every verdict and every admin call for 10 seconds before
 * the 503, and under load it tied up one request thread per request for as long. Here such a read is retried once,
 * immediately: that retry is what replaces a pooled connection that died with a database restart (after a
 * connection breaks, EclipseLink tests the pool's other connections before it hands one out), so the first call
 * after the database is back succeeds; a second failure means the database is down, and the caller answers 503
 * with {@code Retry-After}. Retrying later is the client's job, and the usage counter's ({@code UsageCounter}
 * keeps what it could not write).
 *
 * <p>Registered by class name through EclipseLink's {@value #PROPERTY} property; other providers ignore it.
 */
public class FailFastSessionCustomizer implements SessionCustomizer {

    /** EclipseLink's property for a session customizer ({@code PersistenceUnitProperties.SESSION_CUSTOMIZER}). */
    public static final String PROPERTY = "eclipselink.session.customizer";

    /**
     * How many times EclipseLink retries a read whose connection broke (outside a transaction). It waits
     * {@link DatabaseLogin#getDelayBetweenConnectionAttempts()} before every retry but the first: one gives the
     * single immediate retry described above (the default, 3, gave three retries and two 5-second waits).
     */
    static final int QUERY_RETRY_ATTEMPT_COUNT = 1;

    @Override
    public void customize(Session session) {
        if (session.getDatasourceLogin() instanceof DatabaseLogin login) {
            login.setQueryRetryAttemptCount(QUERY_RETRY_ATTEMPT_COUNT);
            login.setDelayBetweenConnectionAttempts(0);
        }
    }
}
