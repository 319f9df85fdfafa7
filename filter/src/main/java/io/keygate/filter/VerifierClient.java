package io.keygate.filter;

import io.keygate.token.Scopes;
import io.keygate.token.VerifierProtocol;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;
import java.util.logging.Logger;
import javax.naming.InitialContext;
import javax.script.Invocable;

/**
 * Calls the verifier EJB in {@code keygate.war} over the JDK-typed view described in {@link VerifierProtocol}:
 * verdicts, the change generation, changes since a generation, usage and failure hand-over.
 *
 * <p>The verifier is looked up on first use, not at start-up: the protected WAR may be deployed before
 * {@code keygate.war}. The proxy is kept in a volatile field and dropped on any failure (and by {@link #forget}),
 * because a proxy obtained before {@code keygate.war} was redeployed points at a dead application; the next call
 * looks it up afresh, so the filter recovers by itself. Every failure, and an answer that does not follow the
 * protocol, is {@link VerificationResult.Unavailable} (or {@code null}/{@code false} for the other functions).
 *
 * <p>Nothing here logs a token or a hash. Failures of the call are logged by exception class only, since
 * an exception's message could quote the argument.
 */
final class VerifierClient {

    private static final Logger LOG = Logger.getLogger(VerifierClient.class.getName());
    /** What {@link #call} returns when there was no answer; never a value of the protocol. */
    private static final Object UNANSWERED = new Object();
    /** What {@link #call} returns when an optional function is unknown to the verifier. */
    private static final Object UNSUPPORTED = new Object();
    /** The optional keys of a {@link VerifierProtocol#CHANGES_SINCE} answer that {@link Changes} acts on. */
    static final List<String> UNDERSTOOD_CHANGES = List.of(VerifierProtocol.CHANGED_SECRETS);

    /** Finds the verifier; the default is a JNDI look-up of {@link VerifierProtocol#JNDI_NAME}. */
    @FunctionalInterface
    interface Locator {
        Invocable locate() throws Exception;
    }

    static final Locator JNDI = () -> (Invocable) new InitialContext().lookup(VerifierProtocol.JNDI_NAME);

    private final Locator locator;
    private final String where;
    /** Whether the verifier is in this JVM (an EJB), so that objects, not only values, can be handed to it. */
    private final boolean inProcess;
    private final AtomicBoolean warnedMalformed = new AtomicBoolean();
    private final AtomicBoolean warnedUnsupported = new AtomicBoolean();
    private final AtomicBoolean warnedOlderChanges = new AtomicBoolean();
    private final AtomicBoolean available = new AtomicBoolean(true);
    private volatile Invocable verifier;
    /** How many times the verifier was looked up: a new value may mean a new {@code keygate.war}. */
    private final AtomicLong lookups = new AtomicLong();
    /**
     * The look-up ({@link #lookups}) whose verifier refused {@code changesSince} with two arguments, being older
     * than them; {@code -1} when none did. Asked with one argument while it is in use, and with two again after
     * the next look-up, which may find a {@code keygate.war} that takes them.
     */
    private volatile long olderChangesSince = -1;

    /** The verifier EJB on this server, found with {@code locator}. */
    VerifierClient(Locator locator) {
        this(locator, VerifierProtocol.JNDI_NAME, true);
    }

    /**
     * @param where     where the verifier is, for log lines: a JNDI name or a URL
     * @param inProcess whether it is in this JVM
     */
    private VerifierClient(Locator locator, String where, boolean inProcess) {
        this.locator = locator;
        this.where = where;
        this.inProcess = inProcess;
    }

    /** The verifier of a {@code keygate.war} on another server, over HTTP (remote mode). */
    static VerifierClient remote(RemoteVerifier verifier, RemoteSettings settings) {
        return new VerifierClient(() -> verifier, settings.baseUrl().toString(), false);
    }

    /** The verdict on {@code tokenHash} (SHA-256, lower-case hex). Never throws. */
    VerificationResult verify(String tokenHash) {
        Object answer = call(VerifierProtocol.VERIFY, tokenHash);
        if (answer == UNANSWERED) {
            return new VerificationResult.Unavailable();
        }
        VerificationResult result = interpret(answer);
        if (result instanceof VerificationResult.Unavailable) {
            outsideProtocol();
        } else {
            answered();
        }
        return result;
    }

    /** The verifier's change generation ({@link VerifierProtocol#SUBSCRIBE}), or {@code null} without one. */
    AtomicLong subscribe() {
        Object answer = call(VerifierProtocol.SUBSCRIBE);
        if (answer instanceof AtomicLong generation) {
            return generation;
        }
        if (answer != UNANSWERED) {
            outsideProtocol();
        }
        return null;
    }

    /**
     * What changed after {@code generation} ({@link VerifierProtocol#CHANGES_SINCE}), or {@code null}. The call
     * names {@link #UNDERSTOOD_CHANGES}, so that the verifier tells a filter that would not act on them to forget
     * everything; a {@code keygate.war} older than that argument refuses it, and is asked with one argument
     * instead (its answer lists access tokens' hashes, or names secrets, both of which this filter acts on).
     */
    Changes changesSince(long generation) {
        Object answer = UNSUPPORTED;
        // No proxy: this call looks the verifier up, and may find a keygate.war that takes two.
        if (verifier == null || olderChangesSince != lookups.get()) {
            answer = call(VerifierProtocol.CHANGES_SINCE, true, new Object[] {generation, UNDERSTOOD_CHANGES});
        }
        if (answer == UNSUPPORTED) {
            olderChangesSince = lookups.get();
            if (warnedOlderChanges.compareAndSet(false, true)) {
                LOG.info("Keygate verifier " + where + " is older than keygate-filter.jar: it does not take the keys"
                        + " of changesSince this filter understands; asking it the older way");
            }
            answer = call(VerifierProtocol.CHANGES_SINCE, generation);
        }
        if (answer == UNANSWERED) {
            return null;
        }
        Changes changes = Changes.interpret(answer);
        if (changes == null) {
            outsideProtocol();
        }
        return changes;
    }

    /**
     * Hands over counted uses ({@link VerifierProtocol#RECORD_USAGE}), and to a verifier in this JVM also
     * {@code source}, where it takes what is left when it stops; {@code false} when the uses were not taken.
     */
    boolean recordUsage(Map<String, List<Long>> uses, Supplier<Map<String, List<Long>>> source) {
        Object answer = inProcess ? call(VerifierProtocol.RECORD_USAGE, uses, source)
                : call(VerifierProtocol.RECORD_USAGE, uses);
        return Boolean.TRUE.equals(answer);
    }

    /** How many times the verifier was looked up so far; it changes when {@code keygate.war} may be another. */
    long lookups() {
        return lookups.get();
    }

    /** What became of a {@link #recordFailures} report. */
    enum Report {
        /** The verifier took it. */
        TAKEN,
        /** The verifier could not take it now: keep it and try again. */
        NOT_TAKEN,
        /** The verifier is older than {@link VerifierProtocol#RECORD_FAILURES} and never will (logged once). */
        UNSUPPORTED
    }

    /**
     * Hands over summarised authentication failures ({@link VerifierProtocol#RECORD_FAILURES}). A verifier without
     * that function is not a verifier outside the protocol: verdicts still work, so the proxy is kept and only one
     * line is logged, however often this is called.
     */
    Report recordFailures(Map<String, Object> report) {
        Object answer = call(VerifierProtocol.RECORD_FAILURES, true, new Object[] {report});
        if (answer == UNSUPPORTED) {
            if (warnedUnsupported.compareAndSet(false, true)) {
                LOG.warning("Keygate verifier " + where + " does not take " + VerifierProtocol.RECORD_FAILURES
                        + " (is keygate.war older than keygate-filter.jar?); this application's failed"
                        + " authentications are not in the audit log");
            }
            return Report.UNSUPPORTED;
        }
        return Boolean.TRUE.equals(answer) ? Report.TAKEN : Report.NOT_TAKEN;
    }

    /** Drops the proxy, so the next call looks the verifier up again (it was undeployed). */
    void forget() {
        verifier = null;
    }

    private Object call(String function, Object... arguments) {
        return call(function, false, arguments);
    }

    /**
     * @param optional whether the verifier may lack {@code function} (or take fewer arguments) and still be a
     *                 verifier of this protocol: then {@link NoSuchMethodException} is {@link #UNSUPPORTED}, and the
     *                 caller says so
     */
    private Object call(String function, boolean optional, Object[] arguments) {
        Invocable current = verifier;
        if (current == null) {
            try {
                current = locator.locate();
                if (current == null) {
                    throw new IllegalStateException("the look-up returned null");
                }
            } catch (Exception e) {
                // The look-up never saw the token, so its message is safe to log.
                unavailable("Keygate verifier " + where + " not found: " + e);
                return UNANSWERED;
            }
            verifier = current;
            lookups.incrementAndGet();
        }
        try {
            return current.invokeFunction(function, arguments);
        } catch (NoSuchMethodException e) {
            if (optional) {
                return UNSUPPORTED;
            }
            // A keygate.war of another version: say so once, not once per request.
            outsideProtocol();
            return UNANSWERED;
        } catch (Exception e) {
            verifier = null;
            // Only a RemoteVerifier.Failure's message is known to quote no argument.
            unavailable("Keygate verifier call " + function + " to " + where + " failed: "
                    + (e instanceof RemoteVerifier.Failure ? e.getMessage() : e.getClass().getName()));
            return UNANSWERED;
        }
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
        Object parent = map.get(VerifierProtocol.PARENT_ID);
        String parentId = text(parent);
        if (tenant == null || tokenId == null || tokenName == null || principal == null || scopes == null
                || (parent != null && parentId == null)
                || (expiresAt != null && !(expiresAt instanceof Long || expiresAt instanceof Integer))) {
            return new VerificationResult.Unavailable();
        }
        Long expiry = expiresAt == null ? null : ((Number) expiresAt).longValue();
        Object rate = map.get(VerifierProtocol.RATE_LIMIT);
        Object addresses = map.get(VerifierProtocol.ALLOWED_ADDRESSES);
        VerifiedToken.RateLimit rateLimit = rate == null ? null : rateLimit(rate);
        List<IpRange> allowed = addresses == null ? null : ranges(addresses);
        if ((rate != null && rateLimit == null) || (addresses != null && allowed == null)) {
            return new VerificationResult.Unavailable();
        }
        return new VerificationResult.Valid(new VerifiedToken(tenant, tokenId, tokenName, principal, scopes, expiry,
                rateLimit, allowed, parentId));
    }

    /** {@code [requests, windowSeconds]}, both positive; {@code null} when it is not. */
    private static VerifiedToken.RateLimit rateLimit(Object value) {
        if (value instanceof List<?> list && list.size() == 2 && list.get(0) instanceof Number requests
                && list.get(1) instanceof Number window && requests.longValue() > 0 && window.longValue() > 0) {
            return new VerifiedToken.RateLimit(requests.longValue(), window.longValue());
        }
        return null;
    }

    /** Address literals and CIDR blocks; {@code null} when one is not (fail closed: no verdict). */
    private static List<IpRange> ranges(Object value) {
        if (!(value instanceof List<?> list)) {
            return null;
        }
        List<IpRange> ranges = new java.util.ArrayList<>();
        for (Object item : list) {
            try {
                ranges.add(IpRange.parse((String) item));
            } catch (RuntimeException e) {
                return null;
            }
        }
        return ranges;
    }

    private void answered() {
        if (available.compareAndSet(false, true)) {
            LOG.info("Keygate verifier is available again");
        }
    }

    private void outsideProtocol() {
        verifier = null;
        if (warnedMalformed.compareAndSet(false, true)) {
            LOG.warning("Keygate verifier answered outside the protocol (is keygate.war the same version"
                    + " as keygate-filter.jar?); treating it as unavailable");
        }
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
