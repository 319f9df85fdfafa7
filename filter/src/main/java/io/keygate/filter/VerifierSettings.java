package io.keygate.filter;

import static io.keygate.config.ConfigValues.invalid;
import static io.keygate.config.ConfigValues.text;

import io.keygate.config.ConfigLookup;
import io.keygate.config.ConfigValues;
import io.keygate.protocol.VerifierProtocol;
import jakarta.servlet.ServletException;
import java.util.Optional;
import javax.naming.Context;
import javax.naming.InitialContext;
import javax.naming.NamingException;
import javax.script.Invocable;

/**
 * Where the verifier EJB is on this server and how long one call to it may take, read with the filter's other
 * settings ({@link FilterSettings}). Not used in remote mode, whose calls are bounded by
 * {@code keygate.remote.timeout-millis} in the HTTP client.
 *
 * <p>Why a JNDI name can be set: {@code keygate.war} names its module {@code keygate}, but a server may name the
 * application after its deployment instead (Payara's {@code asadmin deploy --name keygate-v2} binds the verifier at
 * {@code java:global/keygate-v2/...}); without this key every protected request would get 503 for ever. Why a
 * timeout: a proxy of a {@code keygate.war} that failed to start can wait for ever (WildFly's start-up await), and a
 * request thread, a hand-over or an undeployment must never wait with it ({@link BoundedCalls}).
 *
 * @param jndiName      {@value #JNDI}: the name the verifier is looked up under; default
 *                      {@link VerifierProtocol#JNDI_NAME}; a {@code java:} name
 * @param timeoutMillis {@value #TIMEOUT_MILLIS}: how long one call to the verifier in process may take before the
 *                      request gets 503 and the proxy is dropped; default {@value #DEFAULT_TIMEOUT_MILLIS}
 */
record VerifierSettings(String jndiName, int timeoutMillis) {

    static final String JNDI = "keygate.verifier-jndi";
    static final String TIMEOUT_MILLIS = "keygate.verifier.timeout-millis";
    static final int DEFAULT_TIMEOUT_MILLIS = 2000;
    static final int MIN_TIMEOUT_MILLIS = 100;
    static final int MAX_TIMEOUT_MILLIS = 60_000;

    static final VerifierSettings DEFAULT = new VerifierSettings(VerifierProtocol.JNDI_NAME, DEFAULT_TIMEOUT_MILLIS);

    /** Opens a naming context: {@code InitialContext::new} on a server, a fake in tests. */
    @FunctionalInterface
    interface Contexts {
        Context open() throws NamingException;
    }

    /** Reads and checks both keys. */
    static VerifierSettings read(ConfigLookup config) throws ServletException {
        Optional<String> name = text(config, JNDI);
        if (name.isPresent() && !isJavaName(name.get())) {
            throw invalid(JNDI, name.get(), "expected a java: JNDI name such as " + VerifierProtocol.JNDI_NAME);
        }
        int timeout = ConfigValues.number(config, TIMEOUT_MILLIS, DEFAULT_TIMEOUT_MILLIS, MIN_TIMEOUT_MILLIS,
                MAX_TIMEOUT_MILLIS);
        return new VerifierSettings(name.map(String::strip).orElse(VerifierProtocol.JNDI_NAME), timeout);
    }

    /** The server's look-up of the verifier under {@link #jndiName}. */
    VerifierConnection.Locator locator() {
        return locator(InitialContext::new);
    }

    /** The look-up of the verifier under {@link #jndiName} in the contexts {@code contexts} opens. */
    VerifierConnection.Locator locator(Contexts contexts) {
        String name = jndiName;
        return () -> {
            Context context = contexts.open();
            try {
                return (Invocable) context.lookup(name);
            } finally {
                context.close();
            }
        };
    }

    private static boolean isJavaName(String text) {
        String name = text.strip();
        return name.startsWith("java:") && name.length() > "java:".length() && name.chars().noneMatch(Character::isWhitespace);
    }
}
