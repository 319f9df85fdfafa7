package io.keygate.server.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** What travels between servers: counts first, the exchange's number and confirmations last. */
class CountsMessageTest {

    @Test
    void theNumberAndTheConfirmationsCloseTheLastBodyOnly() {
        List<CountsMessage.Entry> entries = new ArrayList<>();
        for (int i = 0; i < 500; i++) {
            entries.add(new CountsMessage.Entry(true, "tok_" + i, 60_000, 29_453_760, 3));
        }
        Map<String, Long> confirmed = new LinkedHashMap<>();
        confirmed.put("5b8f0a1e-0000-4000-8000-000000000001", 41L);
        confirmed.put("5b8f0a1e-0000-4000-8000-000000000002", 7L);
        List<String> bodies = CountsMessage.write(entries, 12, confirmed);

        assertTrue(bodies.size() > 1);
        assertTrue(bodies.stream().allMatch(body -> body.length() <= CountsMessage.MAX_BODY_CHARS));
        List<CountsMessage.Entry> read = new ArrayList<>();
        for (int i = 0; i < bodies.size() - 1; i++) {
            CountsMessage.Header header = CountsMessage.read(bodies.get(i), read::add);
            assertEquals(0, header.exchange(), "an earlier body does not close the exchange");
            assertTrue(header.received().isEmpty());
        }
        CountsMessage.Header last = CountsMessage.read(bodies.get(bodies.size() - 1), read::add);
        assertEquals(entries, read);
        assertEquals(12, last.exchange());
        assertEquals(confirmed, last.received());
    }

    @Test
    void confirmationsAloneTravelWithoutANumber() {
        List<String> bodies = CountsMessage.write(List.of(), 0, Map.of("server-1", 3L));
        assertEquals(1, bodies.size());
        CountsMessage.Header header = CountsMessage.read(bodies.get(0), entry -> {
            throw new AssertionError("no counts");
        });
        assertEquals(0, header.exchange(), "nothing to confirm back, so no number");
        assertEquals(Map.of("server-1", 3L), header.received());
        assertTrue(CountsMessage.write(List.of(), 0, Map.of()).isEmpty(), "and nothing at all: no message");
    }

    @Test
    void linesOfAnotherVersionAreSkippedAndABodyWithoutAHeaderStillCounts() {
        List<CountsMessage.Entry> read = new ArrayList<>();
        CountsMessage.Header header = CountsMessage.read("r\t60000\t5\t2\ttok_a\nz\tsomething new\ns\tx\n"
                + "a\t1\n", read::add);
        assertEquals(List.of(new CountsMessage.Entry(true, "tok_a", 60_000, 5, 2)), read);
        assertEquals(0, header.exchange());
        assertFalse(header.received().containsKey("1"));
    }

    @Test
    void confirmationsOfVeryManyServersStayWithinOneBody() {
        Map<String, Long> confirmed = new LinkedHashMap<>();
        for (int i = 0; i < 200; i++) {
            confirmed.put(java.util.UUID.randomUUID().toString(), (long) i + 1);
        }
        List<String> bodies = CountsMessage.write(List.of(new CountsMessage.Entry(false, "203.0.113.7@60",
                60_000, 5, 1)), 3, confirmed);
        assertTrue(bodies.stream().allMatch(body -> body.length() <= CountsMessage.MAX_BODY_CHARS));
        CountsMessage.Header header = CountsMessage.read(bodies.get(bodies.size() - 1), entry -> { });
        assertEquals(3, header.exchange());
        assertTrue(header.received().size() > 50, "some sixty servers confirmed; the rest wait for the bound");
    }
}
