package io.keygate.server.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.keygate.metrics.Outcome;
import org.junit.jupiter.api.Test;

/** The registry's counters grow by exactly what the filters counted, however often they are published. */
class IncrementsTest {

    private final Increments increments = new Increments();

    @Test
    void eachTotalPublishedByItsGrowthOnce() {
        assertEquals(5, increments.since("ok", 5), "the first time: all of it");
        assertEquals(0, increments.since("ok", 5), "nothing new");
        assertEquals(3, increments.since("ok", 8));
        assertEquals(2, increments.since("revoked", 2), "another series keeps its own total");
        assertEquals(0, increments.since("ok", 7), "a total read lower never takes anything back");
        assertEquals(1, increments.since("ok", 9));
    }

    @Test
    void theCountsOfOneApplicationAreTheSameObjectsForEveryCaller() {
        ServerMetrics metrics = new ServerMetrics();
        metrics.forApplication("/orders").count(Outcome.OK);
        metrics.forApplication("/orders").count(Outcome.OK);

        assertEquals(2, metrics.applications().get("/orders").total(Outcome.OK));
    }

    @Test
    void beyondTheBoundNewApplicationsCountTogether() {
        ServerMetrics metrics = new ServerMetrics();
        for (int i = 0; i < ServerMetrics.MAX_APPLICATIONS; i++) {
            metrics.forApplication("/app" + i);
        }
        metrics.forApplication("/one-more").count(Outcome.OK);
        metrics.forApplication("/and-another").count(Outcome.OK);

        assertEquals(2, metrics.applications().get(ServerMetrics.OTHERS).total(Outcome.OK));
        assertEquals(ServerMetrics.MAX_APPLICATIONS + 1, metrics.applications().size());
    }
}
