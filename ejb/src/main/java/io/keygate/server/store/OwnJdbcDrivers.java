package io.keygate.server.store;

import java.sql.Driver;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.Collections;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The JDBC drivers that {@code keygate.war} carries (PostgreSQL, MariaDB, H2) register themselves with the JVM-wide
 * {@link DriverManager} when first loaded, from this application's class loader. Left registered, they would keep
 * that class loader alive after an undeploy (a leak on every redeploy), which the server reports ("registered
 * the JDBC driver … but failed to unregister it"). So keygate.war deregisters them as it stops; a driver of the
 * server's own, or of another application, is not this class loader's and is left alone. Called once, when
 * {@code keygate.war} stops: a driver class is loaded once per class loader, so a store opened again in the same
 * class loader would not find it registered.
 */
public final class OwnJdbcDrivers {

    private static final Logger LOG = Logger.getLogger(OwnJdbcDrivers.class.getName());

    private OwnJdbcDrivers() {
    }

    /** Deregisters every driver loaded by {@code loader}; never throws. */
    public static void deregister(ClassLoader loader) {
        for (Driver driver : Collections.list(DriverManager.getDrivers())) {
            if (driver.getClass().getClassLoader() == loader) {
                try {
                    DriverManager.deregisterDriver(driver);
                } catch (SQLException | SecurityException e) {
                    LOG.log(Level.FINE, "Keygate could not deregister the JDBC driver " + driver.getClass().getName(),
                            e);
                }
            }
        }
    }
}
