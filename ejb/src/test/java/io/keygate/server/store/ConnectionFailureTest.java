package io.keygate.server.store;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.ConnectException;
import java.sql.SQLException;
import org.junit.jupiter.api.Test;

/** Which failures are an outage (one log line, 503) rather than a fault of Keygate's (logged with its trace). */
class ConnectionFailureTest {

    @Test
    void aDatabaseThatCannotBeReachedOrIsStoppingIsAnOutage() {
        assertTrue(StoreOutage.isConnectionFailure(new SQLException("refused", "08001")));
        assertTrue(StoreOutage.isConnectionFailure(new RuntimeException(new ConnectException("Connection refused"))));
        assertTrue(StoreOutage.isConnectionFailure(
                new RuntimeException(new SQLException("FATAL: the database system is shutting down", "57P03"))),
                "PostgreSQL refusing connections while it stops");
        assertTrue(StoreOutage.isConnectionFailure(
                new SQLException("terminating connection due to administrator command", "57P01")));
    }

    @Test
    void aQueryTheDatabaseRefusesIsNot() {
        assertFalse(StoreOutage.isConnectionFailure(new SQLException("duplicate key", "23505")));
        assertFalse(StoreOutage.isConnectionFailure(new SQLException("syntax error", "42601")));
        assertFalse(StoreOutage.isConnectionFailure(new IllegalStateException("no cause")));
    }
}
