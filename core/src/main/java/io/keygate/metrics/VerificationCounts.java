package io.keygate.metrics;

import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.LongConsumer;

/**
 * What one WAR's filter counts for the operator's metrics: its requests by {@link Outcome}, its verdict cache's hits
 * and misses, and how long each call to the verifier took.
 *
 * <p>Counting is on the request path, so it costs one {@link LongAdder#increment()} per count: no lock, and no
 * allocation once the adder has grown its cells under contention. Made of JDK types only, like the count board: the
 * filter's copy of this class and {@code keygate.war}'s are different classes, so the counts cross between them as
 * the {@link #toWire() map} the verifier's in-process {@code metrics(application)} function answers, and each side
 * wraps the same adders. The verifier keeps them for as long as it runs and reads them when the server's metrics are
 * read. A WAR without a verifier in its JVM counts on adders nobody reads.
 */
public final class VerificationCounts {

    /** Key of the cache hits ({@code LongAdder}); each {@link Outcome}'s {@link Outcome#label()} keys its adder. */
    public static final String CACHE_HITS = "cache_hits";
    /** Key of the cache misses ({@code LongAdder}): requests that asked the verifier. */
    public static final String CACHE_MISSES = "cache_misses";
    /** Key of where call durations go ({@code LongConsumer} of nanoseconds). */
    public static final String VERIFIER_CALLS = "verifier_call_nanos";

    private static final Outcome[] OUTCOMES = Outcome.values();
    private static final LongConsumer NOWHERE = nanos -> { };

    private final LongAdder[] outcomes;
    private final LongAdder cacheHits;
    private final LongAdder cacheMisses;
    private final LongConsumer verifierCalls;

    /** Counts nobody else holds, call durations dropped: a WAR on its own, or a test. */
    public VerificationCounts() {
        this(NOWHERE);
    }

    /** New counts whose call durations go to {@code verifierCalls} (nanoseconds). */
    public VerificationCounts(LongConsumer verifierCalls) {
        this(fresh(OUTCOMES.length), new LongAdder(), new LongAdder(), verifierCalls);
    }

    private VerificationCounts(LongAdder[] outcomes, LongAdder cacheHits, LongAdder cacheMisses,
            LongConsumer verifierCalls) {
        this.outcomes = outcomes;
        this.cacheHits = cacheHits;
        this.cacheMisses = cacheMisses;
        this.verifierCalls = verifierCalls;
    }

    public void count(Outcome outcome) {
        outcomes[outcome.ordinal()].increment();
    }

    public void cacheHit() {
        cacheHits.increment();
    }

    public void cacheMiss() {
        cacheMisses.increment();
    }

    /** One call to the verifier took {@code nanos}. */
    public void verifierCall(long nanos) {
        verifierCalls.accept(nanos);
    }

    /** How many requests ended with {@code outcome} so far. */
    public long total(Outcome outcome) {
        return outcomes[outcome.ordinal()].sum();
    }

    public long cacheHits() {
        return cacheHits.sum();
    }

    public long cacheMisses() {
        return cacheMisses.sum();
    }

    /**
     * Adds what these counts hold to {@code target} and takes it away from here (a count made while both are in use
     * may land on either side, never on both). Call durations are not kept, so there are none to move.
     */
    public void moveTo(VerificationCounts target) {
        for (int i = 0; i < outcomes.length; i++) {
            target.outcomes[i].add(outcomes[i].sumThenReset());
        }
        target.cacheHits.add(cacheHits.sumThenReset());
        target.cacheMisses.add(cacheMisses.sumThenReset());
    }

    /** The same adders and consumer as a map of JDK types, for the other side of the protocol. */
    public Map<String, Object> toWire() {
        Map<String, Object> wire = new HashMap<>();
        for (Outcome outcome : OUTCOMES) {
            wire.put(outcome.label(), outcomes[outcome.ordinal()]);
        }
        wire.put(CACHE_HITS, cacheHits);
        wire.put(CACHE_MISSES, cacheMisses);
        wire.put(VERIFIER_CALLS, verifierCalls);
        return Map.copyOf(wire);
    }

    /**
     * The counts {@link #toWire()} handed over, or {@code null} when {@code answer} is not such a map. A key the
     * answer lacks (a {@code keygate.war} that knows fewer outcomes) gets an adder of its own that nobody reads.
     */
    public static VerificationCounts fromWire(Object answer) {
        if (!(answer instanceof Map<?, ?> map)) {
            return null;
        }
        LongAdder[] outcomes = new LongAdder[OUTCOMES.length];
        for (Outcome outcome : OUTCOMES) {
            outcomes[outcome.ordinal()] = adder(map.get(outcome.label()));
        }
        LongConsumer calls = map.get(VERIFIER_CALLS) instanceof LongConsumer consumer ? consumer : NOWHERE;
        return new VerificationCounts(outcomes, adder(map.get(CACHE_HITS)), adder(map.get(CACHE_MISSES)), calls);
    }

    private static LongAdder adder(Object value) {
        return value instanceof LongAdder adder ? adder : new LongAdder();
    }

    private static LongAdder[] fresh(int size) {
        LongAdder[] adders = new LongAdder[size];
        for (int i = 0; i < size; i++) {
            adders[i] = new LongAdder();
        }
        return adders;
    }
}
