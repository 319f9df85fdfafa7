package io.keygate.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.LongAdder;
import org.junit.jupiter.api.Test;

/** The counts cross between keygate.war and a filter as JDK objects: both sides count on the same adders. */
class VerificationCountsTest {

    @Test
    void whatTheFilterCountsOnTheWireCopyTheVerifierReads() {
        List<Long> durations = new ArrayList<>();
        VerificationCounts verifierSide = new VerificationCounts(durations::add);
        VerificationCounts filterSide = VerificationCounts.fromWire(verifierSide.toWire());

        filterSide.count(Outcome.OK);
        filterSide.count(Outcome.OK);
        filterSide.count(Outcome.REVOKED);
        filterSide.cacheHit();
        filterSide.cacheMiss();
        filterSide.verifierCall(1_500_000);

        assertEquals(2, verifierSide.total(Outcome.OK));
        assertEquals(1, verifierSide.total(Outcome.REVOKED));
        assertEquals(0, verifierSide.total(Outcome.INVALID));
        assertEquals(1, verifierSide.cacheHits());
        assertEquals(1, verifierSide.cacheMisses());
        assertEquals(List.of(1_500_000L), durations);
    }

    @Test
    void everyOutcomeHasItsLabelOnTheWire() {
        Map<String, Object> wire = new VerificationCounts().toWire();
        for (Outcome outcome : Outcome.values()) {
            assertEquals(LongAdder.class, wire.get(outcome.label()).getClass(), outcome.label());
        }
        assertEquals("insufficient_scope", Outcome.INSUFFICIENT_SCOPE.label());
        assertEquals("rate_limited", Outcome.RATE_LIMITED.label());
    }

    @Test
    void anOlderVerifierWithoutSomeKeysThenThoseAreCountedAloneAndTheRestShared() {
        LongAdder ok = new LongAdder();
        VerificationCounts filterSide = VerificationCounts.fromWire(Map.of("ok", ok));

        filterSide.count(Outcome.OK);
        filterSide.count(Outcome.RATE_LIMITED);
        filterSide.verifierCall(10); // goes nowhere, and does not fail

        assertEquals(1, ok.sum());
        assertEquals(1, filterSide.total(Outcome.RATE_LIMITED));
    }

    @Test
    void somethingThatIsNotAMapThenNoCounts() {
        assertNull(VerificationCounts.fromWire("counts"));
        assertNull(VerificationCounts.fromWire(null));
    }

    @Test
    void switchingToTheVerifiersCountsThenWhatWasCountedAloneMovesThere() {
        CurrentCounts current = new CurrentCounts();
        current.get().count(Outcome.UNAVAILABLE); // keygate.war not there yet
        current.get().cacheMiss();
        VerificationCounts shared = new VerificationCounts();

        current.use(shared);
        current.get().count(Outcome.OK);
        current.use(shared); // subscribed again: nothing moves twice

        assertSame(shared, current.get());
        assertEquals(1, shared.total(Outcome.UNAVAILABLE));
        assertEquals(1, shared.total(Outcome.OK));
        assertEquals(1, shared.cacheMisses());

        current.usePrivate(); // that keygate.war went away
        current.get().count(Outcome.UNAVAILABLE);
        assertEquals(1, shared.total(Outcome.UNAVAILABLE), "its counts are no longer anybody's");
        current.use(null);
        assertEquals(1, current.get().total(Outcome.UNAVAILABLE), "no counts handed over: counts alone");
    }
}
