package io.keygate.server.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class ReadMarkTest {

    private static final long PATIENCE = 5_000;
    private final ReadMark mark = new ReadMark(10, PATIENCE);

    @Test
    void idsInOrderMoveTheFloorSoTheNextReadReturnsOnlyNewRows() {
        assertTrue(mark.take(11, 0));
        assertTrue(mark.take(12, 0));
        mark.settle(0);
        assertEquals(12, mark.floor());
        assertEquals(0, mark.pending());
        assertFalse(mark.take(12, 1), "read again: not new");
        assertFalse(mark.take(9, 1), "from before the reader started");
    }

    @Test
    void aGapHoldsTheFloorUntilItsRowCommitsAndIsTakenOnce() {
        assertTrue(mark.take(12, 0)); // 11 is not committed yet
        mark.settle(0);
        assertEquals(10, mark.floor(), "11 is re-read until it shows");
        assertFalse(mark.take(12, 100), "12 is not handed over twice");
        assertTrue(mark.take(11, 200));
        mark.settle(200);
        assertEquals(12, mark.floor());
    }

    @Test
    void aNumberThatNeverShowsIsGivenUpAfterThePatience() {
        assertTrue(mark.take(12, 0));
        mark.settle(PATIENCE - 1);
        assertEquals(10, mark.floor());
        mark.settle(PATIENCE);
        assertEquals(12, mark.floor());
        assertFalse(mark.take(11, PATIENCE + 1), "too late: below the floor");
    }
}
