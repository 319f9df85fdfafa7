package io.keygate.server.metrics;

import io.keygate.metrics.VerificationCounts;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

/**
 * What {@code keygate.war}'s metrics are made of, in plain Java, so that counting never depends on a metrics API the
 * server may not have: the counts of each protected WAR's filter ({@link VerificationCounts}, handed to the filter by
 * the verifier's in-process {@code metrics(application)} function and counted there on the request path), and two
 * sinks of durations. Where the server offers MicroProfile Metrics, {@code io.keygate.server.metrics.export} reads the
 * counts and feeds the sinks into its registry; elsewhere the durations go nowhere and the counts are read by nobody.
 */
public final class ServerMetrics {

    /**
     * Most applications with counts of their own: one per WAR deployed with the filter, so far beyond any server's;
     * a caller beyond it counts with {@link #OTHERS}.
     */
    static final int MAX_APPLICATIONS = 1000;
    /** The application name of counts beyond {@link #MAX_APPLICATIONS}. */
    static final String OTHERS = "(others)";

    private final DurationSink verifierCalls = new DurationSink();
    private final DurationSink storeLookups = new DurationSink();
    private final ConcurrentMap<String, VerificationCounts> applications = new ConcurrentHashMap<>();

    /**
     * The counts of the filter of the WAR at context path {@code application}: the same object for every call with
     * that name, so a WAR deployed again goes on counting where it left off.
     */
    public VerificationCounts forApplication(String application) {
        VerificationCounts counts = applications.get(application);
        if (counts != null) {
            return counts;
        }
        String name = applications.size() < MAX_APPLICATIONS ? application : OTHERS;
        return applications.computeIfAbsent(name, key -> new VerificationCounts(verifierCalls));
    }

    /** Every application's counts, by context path. */
    public Map<String, VerificationCounts> applications() {
        return Map.copyOf(applications);
    }

    /** How long the filters' calls to the verifier took, as the filters measured them (nanoseconds). */
    public DurationSink verifierCalls() {
        return verifierCalls;
    }

    /** How long the verifier's store look-ups of a token took (nanoseconds). */
    public DurationSink storeLookups() {
        return storeLookups;
    }
}
