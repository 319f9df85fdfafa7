package io.keygate.filter;

import io.keygate.filter.remote.VerifierOverHttp;
import io.keygate.protocol.VerifierProtocol;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.logging.Logger;
import javax.script.Invocable;

/**
 * Looks the verifier up and calls its functions ({@link VerifierProtocol}); what the answers mean is
 * {@link VerifierClient}'s.
 *
 * <p>The verifier is looked up on first use, not at start-up: the protected WAR may be deployed before
 * {@code keygate.war}. The proxy is kept in a volatile field and dropped on any failure (and by {@link #forget}),
 * because a proxy obtained before {@code keygate.war} was redeployed points at a dead application; the next call
 * looks it up afresh, so the filter recovers by itself. Every failure is {@link #UNANSWERED}; so is a call in process
 * that does not answer in time ({@link BoundedCalls}), whose proxy is dropped like any other that failed.
 *
 * <p>Nothing here logs a token or a hash. Failures of the call are logged by exception class only, since
 * an exception's message could quote the argument.
 */
final class VerifierConnection {

    /** {@link VerifierClient}'s logger: one logger for all that the filter says about its verifier. */
    private static final Logger LOG = Logger.getLogger(VerifierClient.class.getName());
    /** What {@link #call} returns when there was no answer; never a value of the protocol. */
    static final Object UNANSWERED = new Object();
    /** What {@link #call} returns when an optional function is unknown to the verifier. */
    static final Object UNSUPPORTED = new Object();

    /** Finds the verifier; on a server a JNDI look-up ({@link VerifierSettings#locator()}). */
    @FunctionalInterface
    interface Locator {
        Invocable locate() throws Exception;
    }

    private final Locator locator;
    private final String where;
    /** Bounds each call in time (the verifier in process); {@code null}: calls are bounded by the HTTP client. */
    private final BoundedCalls calls;
    private final AtomicBoolean warnedMalformed = new AtomicBoolean();
    private final AtomicBoolean available = new AtomicBoolean(true);
    /** Whether the last call got an answer, a value or an exception; not after a look-up or call that got none. */
    private volatile boolean answers = true;
    private volatile Invocable verifier;
    /** How many times the verifier was looked up: a new value may mean a new {@code keygate.war}. */
    private final AtomicLong lookups = new AtomicLong();

    /**
     * @param where where the verifier is, for log lines: a JNDI name or a URL
     * @param calls bounds every call in time, or {@code null} when the verifier bounds its own (over HTTP)
     */
    VerifierConnection(Locator locator, String where, BoundedCalls calls) {
        this.locator = locator;
        this.where = where;
        this.calls = calls;
    }

    /** Calls from now on wait at most {@code millis} in all, then none is made: the filter is being destroyed. */
    void closeWithin(long millis) {
        if (calls != null) {
            calls.closeWithin(millis);
        }
    }

    /** Stops the threads that call the verifier; never waits. */
    void close() {
        verifier = null;
        if (calls != null) {
            calls.shutdown();
        }
    }

    /** Where the verifier is, for log lines. */
    String where() {
        return where;
    }

    /** How many times the verifier was looked up so far; it changes when {@code keygate.war} may be another. */
    long lookups() {
        return lookups.get();
    }

    /** Whether a proxy is kept: without one, the next call looks the verifier up. */
    boolean connected() {
        return verifier != null;
    }

    /** Drops the proxy, so the next call looks the verifier up again (it was undeployed). */
    void forget() {
        verifier = null;
    }

    Object call(String function, Object... arguments) {
        return call(function, false, arguments);
    }

    /**
     * @param optional whether the verifier may lack {@code function} (or take fewer arguments) and still be a
     *                 verifier of this protocol: then {@link NoSuchMethodException} is {@link #UNSUPPORTED}, and the
     *                 caller says so
     */
    Object call(String function, boolean optional, Object[] arguments) {
        Invocable current = verifier;
        if (current == null) {
            try {
                current = locator.locate();
                if (current == null) {
                    throw new IllegalStateException("the look-up returned null");
                }
            } catch (Exception e) {
                answers = false;
                // The look-up never saw the token, so its message is safe to log.
                unavailable("Keygate verifier " + where + " not found: " + e);
                return UNANSWERED;
            }
            verifier = current;
            lookups.incrementAndGet();
        }
        try {
            Object answer = calls == null ? current.invokeFunction(function, arguments)
                    : calls.call(current, function, arguments);
            answers = true;
            return answer;
        } catch (NoSuchMethodException e) {
            answers = true;
            if (optional) {
                return UNSUPPORTED;
            }
            // A keygate.war of another version: say so once, not once per request.
            outsideProtocol();
            return UNANSWERED;
        } catch (Exception e) {
            verifier = null;
            answers = !(e instanceof BoundedCalls.NoAnswer
                    || e instanceof VerifierOverHttp.Failure failure && failure.unanswered());
            // Only these messages are known to quote no argument.
            unavailable("Keygate verifier call " + function + " to " + where + " failed: "
                    + (e instanceof VerifierOverHttp.Failure || e instanceof BoundedCalls.NoAnswer ? e.getMessage()
                            : e.getClass().getName()));
            return UNANSWERED;
        }
    }

    /**
     * Whether the verifier answered the last call, with a value or an exception: {@code false} after a look-up that
     * found none or a call that got no answer, until a call gets one again.
     */
    boolean answers() {
        return answers;
    }

    /** The verifier answered a verdict: say so once if it had been unavailable. */
    void answered() {
        if (available.compareAndSet(false, true)) {
            LOG.info("Keygate verifier is available again");
        }
    }

    /** The verifier answered outside the protocol: drop the proxy, and say so once. */
    void outsideProtocol() {
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
}
