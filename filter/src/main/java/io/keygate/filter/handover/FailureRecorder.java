package io.keygate.filter.handover;

import io.keygate.protocol.FailureReport;
import io.keygate.protocol.VerifierProtocol;

/**
 * Where {@link FailureHandOver} hands its reports: {@link VerifierProtocol#RECORD_FAILURES} of the verifier, and
 * nothing else of the client that calls it.
 */
public interface FailureRecorder {

    /** What became of a report. */
    enum Outcome {
        /** The verifier took it. */
        TAKEN,
        /** The verifier could not take it now: keep it and try again. */
        NOT_TAKEN,
        /** The verifier is older than {@link VerifierProtocol#RECORD_FAILURES} and never will (logged once). */
        UNSUPPORTED
    }

    Outcome recordFailures(FailureReport report);

    /**
     * Whether the verifier answered the last call made to it, with a value or an exception: {@code false} while it
     * is not found or gives no answer (in time). The periodic hand-over backs off while it does not
     * ({@link PeriodicHandOver}).
     */
    boolean answers();
}
