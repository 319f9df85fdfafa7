package io.keygate.filter.handover;

import io.keygate.protocol.FailureReport;
import io.keygate.protocol.VerifierProtocol;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.LongSupplier;
import java.util.logging.Logger;

/**
 * Hands the refusals counted by {@link FailureTally} to the verifier ({@link VerifierProtocol#RECORD_FAILURES}),
 * which summarises them in the audit log: every {@value #INTERVAL_MILLIS} ms on the filter's scheduler and
 * once more when the WAR is undeployed, never on a request's thread.
 *
 * <pre>
 * failures.start(scheduler);  // the filter's own scheduler (FilterJobs), or null
 * failures.close();           // Filter.destroy(): the last hand-over
 * </pre>
 *
 * <p>A report the verifier does not take (it is absent or redeploying) is kept and merged into the next one, in
 * bounded memory: at most {@link FailureTally#MAX_ENTRIES} summaries, failures of further keys counted as overflow.
 * A verifier too old to know the function gets nothing (the report is dropped, and the client says so once).
 * Without a scheduler (or if it refuses the task), failures are handed over only when the WAR is undeployed: a refused
 * request must not pay for a call to the verifier.
 *
 * <p>A report names the application, the window it covers, and per summary the client address, the reason, the
 * count, the token's non-secret prefix and, for a valid token refused for its address, its tenant. Never a token or
 * a hash: {@link FailureTally} never holds one.
 */
public final class FailureHandOver extends PeriodicHandOver {

    private static final Logger LOG = Logger.getLogger(FailureHandOver.class.getName());

    private final FailureTally tally;
    private final FailureRecorder verifier;
    private final String application;
    private final LongSupplier clock;
    /** Counted and not yet taken by the verifier; guarded by {@link #handingOver}, like the two fields below. */
    private final Map<FailureTally.Key, Long> unsent = new LinkedHashMap<>();
    private long unsentOverflow;
    /** Start of the window of what is unsent, epoch milliseconds. */
    private long since;

    /** @param application the context path of the WAR, as {@code getContextPath()} returns it */
    public FailureHandOver(FailureTally tally, FailureRecorder verifier, String application, LongSupplier clock) {
        super("failed authentications", verifier::answers);
        this.tally = tally;
        this.verifier = verifier;
        this.application = FailureReport.application(application);
        this.clock = clock;
        this.since = clock.getAsLong();
    }

    @Override
    void lostAtClose() {
        LOG.warning("Keygate could not hand over the last " + pending() + " failed authentications of "
                + application + ": the verifier is not available while this application stops");
    }

    /** Failures counted and not yet taken by the verifier, itemised or not, after moving the tally into them. */
    public long pending() {
        handingOver.lock();
        try {
            take();
            return unsent.values().stream().mapToLong(Long::longValue).sum() + unsentOverflow;
        } finally {
            handingOver.unlock();
        }
    }

    /** Summaries kept for the next report (for tests: bounded). */
    public int unsentEntries() {
        handingOver.lock();
        try {
            return unsent.size();
        } finally {
            handingOver.unlock();
        }
    }

    /** Whether everything counted is now with the verifier (or dropped by one that does not take it). */
    @Override
    boolean send(boolean last) {
        long now = clock.getAsLong();
        take();
        if (unsent.isEmpty() && unsentOverflow == 0) {
            since = now;
            return true;
        }
        FailureRecorder.Outcome outcome = verifier.recordFailures(report(now));
        if (outcome == FailureRecorder.Outcome.NOT_TAKEN) {
            return false;
        }
        unsent.clear();
        unsentOverflow = 0;
        since = now;
        return true;
    }

    /** Moves the tally into {@link #unsent}, within the bound. */
    private void take() {
        long overflowed = tally.drain((key, failures) -> {
            Long kept = unsent.get(key);
            if (kept != null) {
                unsent.put(key, saturated(kept + failures));
            } else if (unsent.size() < FailureTally.MAX_ENTRIES) {
                unsent.put(key, failures);
            } else {
                unsentOverflow = saturated(unsentOverflow + failures);
            }
        });
        unsentOverflow = saturated(unsentOverflow + overflowed);
    }

    /**
     * What is unsent as a report ending at {@code until}. A summary the protocol would not take (a client address of
     * a shape it does not know) is counted as overflow rather than refused with the whole report.
     */
    private FailureReport report(long until) {
        List<FailureReport.Failure> failures = new ArrayList<>(unsent.size());
        long overflow = unsentOverflow;
        for (Map.Entry<FailureTally.Key, Long> entry : unsent.entrySet()) {
            FailureTally.Key key = entry.getKey();
            try {
                failures.add(new FailureReport.Failure(key.prefix(), key.client(), key.reason().wire, entry.getValue(),
                        key.tenant()));
            } catch (IllegalArgumentException e) {
                overflow = saturated(overflow + entry.getValue());
            }
        }
        return new FailureReport(application, Math.min(since, until), until, failures, overflow);
    }

    /** A sum that overflowed {@code long}: the largest count instead of a negative one. */
    private static long saturated(long sum) {
        return sum < 0 ? Long.MAX_VALUE : sum;
    }
}
