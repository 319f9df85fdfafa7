package io.keygate.filter;

import static io.keygate.filter.VerifierConnection.UNANSWERED;
import static io.keygate.filter.VerifierConnection.UNSUPPORTED;

import io.keygate.filter.handover.FailureRecorder;
import io.keygate.filter.handover.UsageRecorder;
import io.keygate.filter.remote.RemoteSettings;
import io.keygate.filter.remote.VerifierOverHttp;
import io.keygate.limits.CountBoard;
import io.keygate.metrics.VerificationCounts;
import io.keygate.protocol.ChangeSet;
import io.keygate.protocol.FailureReport;
import io.keygate.protocol.UsageReport;
import io.keygate.protocol.Verdict;
import io.keygate.protocol.VerifierProtocol;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;
import java.util.logging.Logger;

/**
 * Calls the verifier EJB in {@code keygate.war} over the JDK-typed view described in {@link VerifierProtocol}:
 * verdicts, the change generation, changes since a generation, usage and failure hand-over.
 *
 * <p>{@link VerifierConnection} looks the verifier up and calls it; the message types of {@code io.keygate.protocol}
 * write the arguments and read the answers ({@link Verdict}, {@link ChangeSet}, {@link UsageReport},
 * {@link FailureReport}), the same types the verifier uses; this class knows what to ask, and what to do when an
 * older {@code keygate.war} does not know the question. Every failure, and an answer that does not follow the
 * protocol, is {@link VerificationResult.Unavailable} (or {@code null}/{@code false} for the other functions).
 * The hand-overs see it only as a {@link UsageRecorder} and a {@link FailureRecorder}.
 *
 * <p>Nothing here logs a token or a hash.
 */
final class VerifierClient implements UsageRecorder, FailureRecorder {

    private static final Logger LOG = Logger.getLogger(VerifierClient.class.getName());

    private final VerifierConnection connection;
    /** Whether the verifier is in this JVM (an EJB), so that objects, not only values, can be handed to it. */
    private final boolean inProcess;
    private final AtomicBoolean warnedUnsupported = new AtomicBoolean();
    private final AtomicBoolean warnedOlderChanges = new AtomicBoolean();
    private final AtomicBoolean warnedNoLimits = new AtomicBoolean();
    /**
     * The look-up ({@link #lookups}) whose verifier refused {@code changesSince} with two arguments, being older
     * than them; {@code -1} when none did. Asked with one argument while it is in use, and with two again after
     * the next look-up, which may find a {@code keygate.war} that takes them.
     */
    private volatile long olderChangesSince = -1;

    /** The verifier EJB on this server, found with {@code locator}, with the default settings. */
    VerifierClient(VerifierConnection.Locator locator) {
        this(locator, VerifierSettings.DEFAULT);
    }

    /**
     * The verifier EJB on this server, found with {@code locator} ({@link VerifierSettings#locator()} on a server),
     * each call bounded by {@link VerifierSettings#timeoutMillis()}.
     */
    VerifierClient(VerifierConnection.Locator locator, VerifierSettings settings) {
        this(new VerifierConnection(locator, settings.jndiName(), new BoundedCalls(settings.timeoutMillis())), true);
    }

    /** @param inProcess whether the verifier is in this JVM */
    private VerifierClient(VerifierConnection connection, boolean inProcess) {
        this.connection = connection;
        this.inProcess = inProcess;
    }

    /** The verifier of a {@code keygate.war} on another server, over HTTP (remote mode). */
    static VerifierClient remote(VerifierOverHttp verifier, RemoteSettings settings) {
        return new VerifierClient(new VerifierConnection(() -> verifier, settings.baseUrl().toString(), null), false);
    }

    /** The verdict on {@code tokenHash} (SHA-256, lower-case hex). Never throws. */
    VerificationResult verify(String tokenHash) {
        Object answer = connection.call(VerifierProtocol.VERIFY, tokenHash);
        if (answer == UNANSWERED) {
            return new VerificationResult.Unavailable();
        }
        Optional<Verdict> verdict = Verdict.fromWire(answer);
        if (verdict.isEmpty()) {
            connection.outsideProtocol();
            return new VerificationResult.Unavailable();
        }
        connection.answered();
        return VerificationResult.of(verdict.get());
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
     * The server's count board ({@link VerifierProtocol#LIMITS}), or {@code null}: then this WAR counts on its own.
     * Only a verifier in this JVM can share objects; over HTTP the function is not even asked. A {@code keygate.war}
     * older than the function is said once.
     */
    CountBoard limits() {
        if (!inProcess) {
            return null;
        }
        Object answer = connection.call(VerifierProtocol.LIMITS, true, new Object[0]);
        if (answer == UNSUPPORTED && warnedNoLimits.compareAndSet(false, true)) {
            LOG.info("Keygate verifier " + connection.where() + " does not share its count board (is keygate.war"
                    + " older than keygate-filter.jar?); rate limits and the throttle count in this application alone");
        }
        return answer == UNSUPPORTED || answer == UNANSWERED ? null : CountBoard.fromWire(answer);
    }

    /**
     * The counts behind the server's metrics for the WAR at {@code application} ({@link VerifierProtocol#METRICS}), or
     * {@code null}: then this WAR counts on its own, unread. In process only, as {@link #limits()}; a
     * {@code keygate.war} older than the function is not said, since nothing but the metrics depends on it.
     */
    VerificationCounts metrics(String application) {
        if (!inProcess) {
            return null;
        }
        Object answer = connection.call(VerifierProtocol.METRICS, true, new Object[] {application});
        return answer == UNSUPPORTED || answer == UNANSWERED ? null : VerificationCounts.fromWire(answer);
    }

    /**
     * What changed after {@code generation} ({@link VerifierProtocol#CHANGES_SINCE}), or {@code null}. The call
     * names {@link ChangeSet#UNDERSTOOD}, so that the verifier tells a filter that would not act on them to forget
     * everything; a {@code keygate.war} older than that argument refuses it, and is asked with one argument
     * instead (its answer lists access tokens' hashes, or names secrets, both of which this filter acts on).
     */
    ChangeSet changesSince(long generation) {
        Object answer = UNSUPPORTED;
        // No proxy: this call looks the verifier up, and may find a keygate.war that takes two.
        if (!connection.connected() || olderChangesSince != connection.lookups()) {
            answer = connection.call(VerifierProtocol.CHANGES_SINCE, true,
                    new Object[] {generation, ChangeSet.UNDERSTOOD});
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
        Optional<ChangeSet> changes = ChangeSet.fromWire(answer);
        if (changes.isEmpty()) {
            connection.outsideProtocol();
        }
        return changes.orElse(null);
    }

    /**
     * Hands over counted uses ({@link VerifierProtocol#RECORD_USAGE}), and to a verifier in this JVM also
     * {@code source}, where it takes what is left when it stops; {@code false} when the uses were not taken.
     */
    @Override
    public boolean recordUsage(UsageReport report, Supplier<Map<String, List<Long>>> source) {
        Map<String, List<Long>> uses = report.toWire();
        Object answer = inProcess ? connection.call(VerifierProtocol.RECORD_USAGE, uses, source)
                : connection.call(VerifierProtocol.RECORD_USAGE, uses);
        return Boolean.TRUE.equals(answer);
    }

    @Override
    public long lookups() {
        return connection.lookups();
    }

    @Override
    public boolean answers() {
        return connection.answers();
    }

    /**
     * Hands over summarised authentication failures ({@link VerifierProtocol#RECORD_FAILURES}). A verifier without
     * that function is not a verifier outside the protocol: verdicts still work, so the proxy is kept and only one
     * line is logged, however often this is called.
     */
    @Override
    public Outcome recordFailures(FailureReport report) {
        Object answer = connection.call(VerifierProtocol.RECORD_FAILURES, true, new Object[] {report.toWire()});
        if (answer == UNSUPPORTED) {
            if (warnedUnsupported.compareAndSet(false, true)) {
                LOG.warning("Keygate verifier " + connection.where() + " does not take "
                        + VerifierProtocol.RECORD_FAILURES + " (is keygate.war older than keygate-filter.jar?); this"
                        + " application's failed authentications are not in the audit log");
            }
            return Outcome.UNSUPPORTED;
        }
        return Boolean.TRUE.equals(answer) ? Outcome.TAKEN : Outcome.NOT_TAKEN;
    }

    /** Drops the proxy, so the next call looks the verifier up again (it was undeployed). */
    void forget() {
        connection.forget();
    }

    /** The filter is being destroyed: calls from now on end within {@code millis} in all. */
    void closeWithin(long millis) {
        connection.closeWithin(millis);
    }

    /** Stops the threads that call the verifier; never waits. */
    void close() {
        connection.close();
    }
}
