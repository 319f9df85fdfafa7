package io.keygate.filter.handover;

import io.keygate.protocol.UsageReport;
import io.keygate.protocol.VerifierProtocol;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * Where {@link UsageHandOver} hands its counts: {@link VerifierProtocol#RECORD_USAGE} of the verifier, and nothing
 * else of the client that calls it.
 */
public interface UsageRecorder {

    /**
     * Hands {@code report} over and, to a verifier in this JVM, also {@code source}, where it takes what is still
     * counted when it stops; whether the verifier took the report.
     */
    boolean recordUsage(UsageReport report, Supplier<Map<String, List<Long>>> source);

    /** How many times the verifier was looked up so far; it changes when {@code keygate.war} may be another. */
    long lookups();

    /**
     * Whether the verifier answered the last call made to it, with a value or an exception: {@code false} while it
     * is not found or gives no answer (in time). The periodic hand-over backs off while it does not
     * ({@link PeriodicHandOver}).
     */
    boolean answers();
}
