package io.keygate.metrics;

/**
 * The counts a WAR's filter counts on now, as {@link io.keygate.limits.CurrentBoard} is for limits: its own until the
 * verifier hands over the counts it reads ({@code metrics(application)}), its own again once that verifier retires.
 * What was counted on its own meanwhile (the 503s while {@code keygate.war} was away) moves to the verifier's counts
 * when it hands them over, so the metrics show the outage. One volatile read per use.
 */
public final class CurrentCounts {

    private final VerificationCounts own = new VerificationCounts();
    private volatile VerificationCounts counts = own;

    public VerificationCounts get() {
        return counts;
    }

    /** Counts on {@code shared} from now on, and moves there what was counted alone; {@code null} changes nothing. */
    public void use(VerificationCounts shared) {
        if (shared != null && shared != counts) {
            counts = shared;
            own.moveTo(shared);
        }
    }

    /** Counts alone again: the shared counts' verifier is gone. */
    public void usePrivate() {
        counts = own;
    }
}
