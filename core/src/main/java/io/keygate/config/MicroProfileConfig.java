package io.keygate.config;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.util.Optional;
import java.util.function.UnaryOperator;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The server's MicroProfile Config, when it offers it to the application, reached by reflection only: the filter
 * jar may depend on nothing beyond the Jakarta EE APIs, and {@code keygate.war} must deploy on a server without
 * MicroProfile Config (WildFly's default {@code standalone.xml} has no such subsystem, so the API is not even
 * visible to the deployment). Where it is offered, it gives Keygate every source the server has: on Payara its
 * config properties ({@code asadmin set-config-property}), besides system properties, the environment and
 * {@code microprofile-config.properties}.
 *
 * <p>Absent MicroProfile Config is not worth a warning: it is the ordinary case on plain Jakarta EE servers, and
 * {@link ConfigLookup} reads the same standard sources itself.
 */
final class MicroProfileConfig {

    private static final Logger LOG = Logger.getLogger(MicroProfileConfig.class.getName());

    static final String PROVIDER = "org.eclipse.microprofile.config.ConfigProvider";
    static final String CONFIG = "org.eclipse.microprofile.config.Config";

    private MicroProfileConfig() {
    }

    /**
     * The look-up of the application whose class loader is {@code loader} (the thread's context class loader when
     * {@code null}), or {@code null} when the server offers it no MicroProfile Config.
     */
    static UnaryOperator<String> of(ClassLoader loader) {
        return of(loader, PROVIDER, CONFIG);
    }

    /** As {@link #of(ClassLoader)}, with the classes named, so that tests can stand in for the API. */
    static UnaryOperator<String> of(ClassLoader loader, String providerClass, String configClass) {
        ClassLoader applicationLoader = loader != null ? loader : Thread.currentThread().getContextClassLoader();
        Object config;
        Method getOptionalValue;
        try {
            Class<?> provider = Class.forName(providerClass, true, applicationLoader);
            config = provider.getMethod("getConfig", ClassLoader.class).invoke(null, applicationLoader);
            getOptionalValue = Class.forName(configClass, false, applicationLoader)
                    .getMethod("getOptionalValue", String.class, Class.class);
        } catch (ClassNotFoundException | LinkageError e) {
            LOG.fine(() -> "No MicroProfile Config offered to the application: " + e);
            return null;
        } catch (ReflectiveOperationException | RuntimeException e) {
            // The API is visible but no implementation answers (an API jar without a server behind it).
            LOG.log(Level.FINE, "MicroProfile Config is visible but does not answer", e);
            return null;
        }
        return key -> value(config, getOptionalValue, key);
    }

    /** The key's value, {@code null} when MicroProfile Config has none (it counts an empty value as none). */
    private static String value(Object config, Method getOptionalValue, String key) {
        try {
            return ((Optional<?>) getOptionalValue.invoke(config, key, String.class)).map(String.class::cast)
                    .orElse(null);
        } catch (InvocationTargetException e) {
            // Neither the value nor the cause's message, which may quote it: it may be a token or a password.
            throw new IllegalStateException("MicroProfile Config cannot read " + key + ": "
                    + e.getCause().getClass().getName());
        } catch (IllegalAccessException e) {
            throw new IllegalStateException("MicroProfile Config cannot be read: " + e, e);
        }
    }
}
