package io.keygate.filter;

import io.keygate.token.Scopes;
import io.keygate.token.VerifierProtocol;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.logging.Logger;
import javax.naming.InitialContext;
import javax.script.Invocable;

/**
 * Asks the verifier EJB in {@code keygate.war} about a token hash, over the JDK-typed view described in
 * {@link VerifierProtocol}.
 *
 * <p>The verifier is looked up on first use, not at start-up: the protected WAR may be deployed before
 * {@code keygate.war}. The proxy is kept in a volatile field and dropped on any failure, because a proxy
 * obtained before {@code keygate.war} was redeployed points at a dead application; the next request looks it
 * up afresh, so the filter recovers by itself. Every failure, and an answer that does not follow the
 * protocol, is {@link VerificationResult.Unavailable}.
 *
 * <p>Nothing here logs a token or a hash. Failures of the call are logged by exception class only, since
 * an exception's message could quote the argument.
 */
final class VerifierClient {

    private static final Logger LOG = Logger.getLogger(VerifierClient.class.getName());

    /** Finds the verifier; the default is a JNDI look-up of {@link VerifierProtocol#JNDI_NAME}. */
    @FunctionalInterface
    interface Locator {
        Invocable locate() throws Exception;
    }

    static final Locator JNDI = () -> (Invocable) new InitialContext().lookup(VerifierProtocol.JNDI_NAME);

    private final Locator locator;
    private final AtomicBoolean warnedMalformed = new AtomicBoolean();
    private final AtomicBoolean available = new AtomicBoolean(true);
    private volatile Invocable verifier;

    VerifierClient(Locator locator) {
        this.locator = locator;
    }

    /** The verdict on {@code tokenHash} (SHA-256, lower-case hex). Never throws. */
    VerificationResult verify(String tokenHash) {
        Invocable current = verifier;
        if (current == null) {
            try {
                current = locator.locate();
                if (current == null) {
                    throw new IllegalStateException("the look-up returned null");
                }
            } catch (Exception e) {
                // The look-up never saw the token, so its message is safe to log.
                unavailable("Keygate verifier " + VerifierProtocol.JNDI_NAME + " not found: " + e);
                return new VerificationResult.Unavailable();
            }
            verifier = current;
        }
        Object answer;
        try {
            answer = current.invokeFunction(VerifierProtocol.VERIFY, tokenHash);
        } catch (Exception e) {
            verifier = null;
            unavailable("Keygate verifier call failed: " + e.getClass().getName());
            return new VerificationResult.Unavailable();
        }
        VerificationResult result = interpret(answer);
        if (result instanceof VerificationResult.Unavailable) {
            verifier = null;
            if (warnedMalformed.compareAndSet(false, true)) {
                LOG.warning("Keygate verifier answered outside the protocol (is keygate.war the same version"
                        + " as keygate-filter.jar?); treating it as unavailable");
            }
        } else if (available.compareAndSet(false, true)) {
            LOG.info("Keygate verifier is available again");
        }
        return result;
    }

    /** Reads the answer map; {@link VerificationResult.Unavailable} when it breaks the protocol. */
    static VerificationResult interpret(Object answer) {
        if (!(answer instanceof Map<?, ?> map)) {
            return new VerificationResult.Unavailable();
        }
        Object result = map.get(VerifierProtocol.RESULT);
        if (VerifierProtocol.INVALID.equals(result)) {
            return new VerificationResult.Invalid();
        }
        if (VerifierProtocol.EXPIRED.equals(result)) {
            return new VerificationResult.Expired();
        }
        if (!VerifierProtocol.VALID.equals(result)) {
            return new VerificationResult.Unavailable();
        }
        String tenant = text(map.get(VerifierProtocol.TENANT));
        String tokenId = text(map.get(VerifierProtocol.TOKEN_ID));
        String tokenName = text(map.get(VerifierProtocol.TOKEN_NAME));
        String principal = text(map.get(VerifierProtocol.PRINCIPAL));
        Set<String> scopes = scopes(map.get(VerifierProtocol.SCOPES));
        Object expiresAt = map.get(VerifierProtocol.EXPIRES_AT);
        if (tenant == null || tokenId == null || tokenName == null || principal == null || scopes == null
                || (expiresAt != null && !(expiresAt instanceof Long || expiresAt instanceof Integer))) {
            return new VerificationResult.Unavailable();
        }
        Long expiry = expiresAt == null ? null : ((Number) expiresAt).longValue();
        return new VerificationResult.Valid(new VerifiedToken(tenant, tokenId, tokenName, principal, scopes, expiry));
    }

    private void unavailable(String message) {
        if (available.compareAndSet(true, false)) {
            LOG.warning(message + "; protected requests get 503 until it answers");
        } else {
            LOG.fine(message);
        }
    }

    private static String text(Object value) {
        return value instanceof String s && !s.isBlank() ? s : null;
    }

    private static Set<String> scopes(Object value) {
        if (!(value instanceof List<?> list)) {
            return null;
        }
        Set<String> scopes = new LinkedHashSet<>();
        for (Object scope : list) {
            if (!(scope instanceof String name) || !Scopes.isValidName(name)) {
                return null;
            }
            scopes.add(name);
        }
        return scopes;
    }
}
