package io.keygate.filter;


import static io.keygate.filter.VerifierConnection.UNANSWERED;
import static io.keygate.filter.VerifierConnection.UNSUPPORTED;

import io.keygate.protocol.VerifierProtocol;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;
import java.util.logging.Logger;

/**
 * Calls the verifier EJB in {@code keygate.war} over the JDK-typed view described in {@link VerifierProtocol}:
 * verdicts, the change generation, changes since a generation, usage and failure hand-over.
 *
 * <p>{@link VerifierConnection} looks the verifier up and calls it; this class knows what to ask and what the
 * answers mean ({@link Verdicts}, {@link Changes}). Every failure, and an answer that does not follow the
 * protocol, is {@link VerificationResult.Unavailable} (or {@code null}/{@code false} for the other functions).
 *
 * <p>Nothing here logs a token or a hash.
 */
final class VerifierClient {

    private static final Logger LOG = Logger.getLogger(VerifierClient.class.getName());

    private final VerifierConnection connection;
    /** Whether the verifier is in this JVM (an EJB), so that objects, not only values, can be handed to it. */
    private final boolean inProcess;
    private final AtomicBoolean warnedUnsupported = new AtomicBoolean();
    private final AtomicBoolean warnedOlderChanges = new AtomicBoolean();
    /**
     * The look-up ({@link #lookups}) whose verifier refused {@code changesSince} with two arguments, being older
     * than them; {@code -1} when none did. Asked with one argument while it is in use, and with two again after
     * the next look-up, which may find a {@code keygate.war} that takes them.
     */
    private volatile long olderChangesSince = -1;

    /** The verifier EJB on this server, found with {@code locator} ({@link VerifierConnection#JNDI} on a server). */
    VerifierClient(VerifierConnection.Locator locator) {
        this(new VerifierConnection(locator, VerifierProtocol.JNDI_NAME), true);
    }

    /** @param inProcess whether the verifier is in this JVM */
    private VerifierClient(VerifierConnection connection, boolean inProcess) {
        this.connection = connection;
        this.inProcess = inProcess;
    }

    /** The verifier of a {@code keygate.war} on another server, over HTTP (remote mode). */
    static VerifierClient remote(RemoteVerifier verifier, RemoteSettings settings) {
        return new VerifierClient(new VerifierConnection(() -> verifier, settings.baseUrl().toString()), false);
    }

    /** The verdict on {@code tokenHash} (SHA-256, lower-case hex). Never throws. */
    VerificationResult verify(String tokenHash) {
        Object answer = connection.call(VerifierProtocol.VERIFY, tokenHash);
        if (answer == UNANSWERED) {
            return new VerificationResult.Unavailable();
        }
        VerificationResult result = Verdicts.interpret(answer);
        if (result instanceof VerificationResult.Unavailable) {
            connection.outsideProtocol();
        } else {
            connection.answered();
        }
        return result;
    }

    /** The verifier's change generation ({@link VerifierProtocol#SUBSCRIBE}), or {@code null} without one. */
    AtomicLong subscribe() {
        Object answer = connection.call(VerifierProtocol.SUBSCRIBE);
        if (answer instanceof AtomicLong generation) {
            return generation;
        }
        if (answer != UNANSWERED) {
            connection.outsideProtocol();
        }
        return null;
    }

    /**
     * What changed after {@code generation} ({@link VerifierProtocol#CHANGES_SINCE}), or {@code null}. The call
     * names {@link Changes#UNDERSTOOD}, so that the verifier tells a filter that would not act on them to forget
     * everything; a {@code keygate.war} older than that argument refuses it, and is asked with one argument
     * instead (its answer lists access tokens' hashes, or names secrets, both of which this filter acts on).
     */
    Changes changesSince(long generation) {
        Object answer = UNSUPPORTED;
        // No proxy: this call looks the verifier up, and may find a keygate.war that takes two.
        if (!connection.connected() || olderChangesSince != connection.lookups()) {
            answer = connection.call(VerifierProtocol.CHANGES_SINCE, true,
                    new Object[] {generation, Changes.UNDERSTOOD});
        }
        if (answer == UNSUPPORTED) {
            olderChangesSince = connection.lookups();
            if (warnedOlderChanges.compareAndSet(false, true)) {
                LOG.info("Keygate verifier " + connection.where() + " is older than keygate-filter.jar: it does not"
                        + " take the keys of changesSince this filter understands; asking it the older way");
            }
            answer = connection.call(VerifierProtocol.CHANGES_SINCE, generation);
        }
        if (answer == UNANSWERED) {
            return null;
        }
        Changes changes = Changes.interpret(answer);
        if (changes == null) {
            connection.outsideProtocol();
        }
        return changes;
    }

    /**
     * Hands over counted uses ({@link VerifierProtocol#RECORD_USAGE}), and to a verifier in this JVM also
     * {@code source}, where it takes what is left when it stops; {@code false} when the uses were not taken.
     */
    boolean recordUsage(Map<String, List<Long>> uses, Supplier<Map<String, List<Long>>> source) {
        Object answer = inProcess ? connection.call(VerifierProtocol.RECORD_USAGE, uses, source)
                : connection.call(VerifierProtocol.RECORD_USAGE, uses);
        return Boolean.TRUE.equals(answer);
    }

    /** How many times the verifier was looked up so far; it changes when {@code keygate.war} may be another. */
    long lookups() {
        return connection.lookups();
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
        Object answer = connection.call(VerifierProtocol.RECORD_FAILURES, true, new Object[] {report});
        if (answer == UNSUPPORTED) {
            if (warnedUnsupported.compareAndSet(false, true)) {
                LOG.warning("Keygate verifier " + connection.where() + " does not take "
                        + VerifierProtocol.RECORD_FAILURES + " (is keygate.war older than keygate-filter.jar?); this"
                        + " application's failed authentications are not in the audit log");
            }
            return Report.UNSUPPORTED;
        }
        return Boolean.TRUE.equals(answer) ? Report.TAKEN : Report.NOT_TAKEN;
    }

    /** Drops the proxy, so the next call looks the verifier up again (it was undeployed). */
    void forget() {
        connection.forget();
    }
}
