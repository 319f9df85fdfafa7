package io.keygate.filter.handover;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.keygate.filter.handover.FailureTally.Key;
import io.keygate.filter.handover.FailureTally.Reason;
import io.keygate.token.TokenFormat;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class FailureTallyTest {

    private static final String TOKEN = TokenFormat.generate(new SecureRandom());

    private final FailureTally tally = new FailureTally();

    private Map<Key, Long> drain(FailureTally from, AtomicLong overflow) {
        Map<Key, Long> taken = new HashMap<>();
        overflow.addAndGet(from.drain((key, failures) -> taken.merge(key, failures, Long::sum)));
        return taken;
    }

    @Test
    void prefixThenOnlyTheListingPrefixOfAKeygateShapedToken() {
        assertEquals(TokenFormat.displayPrefix(TOKEN), FailureTally.prefix(TOKEN));
        assertEquals(8, FailureTally.prefix(TOKEN).length());
        String badChecksum = TOKEN.substring(0, 38) + (TOKEN.endsWith("0") ? "1" : "0");
        assertEquals(TokenFormat.displayPrefix(TOKEN), FailureTally.prefix(badChecksum),
                "a bad checksum still has a listing prefix");
        assertNull(FailureTally.prefix(null));
        assertNull(FailureTally.prefix("kg_ABCDE"), "not a token's shape: it would be all of what was sent");
        assertNull(FailureTally.prefix("kg_Passw0rdOfAUser"), "kg_ and base62, but not a token's length");
        assertNull(FailureTally.prefix(TOKEN + "A"), "longer than a token");
        assertNull(FailureTally.prefix("kg_AB-DE" + TOKEN.substring(8)), "not base62");
        assertNull(FailureTally.prefix("dev-only-admin-token-0123456789abcdef"),
                "another kind of secret: none of it is shown");
        assertNull(FailureTally.prefix("KG_ABCDEFGHIJ"));
    }

    @Test
    void countThenPerPrefixClientReasonAndTenantWithoutTheToken() {
        tally.count(TOKEN, "192.0.2.1", Reason.INVALID, null);
        tally.count(TOKEN, "192.0.2.1", Reason.INVALID, null);
        tally.count(TOKEN, "192.0.2.2", Reason.INVALID, null);
        tally.count(TOKEN, "192.0.2.1", Reason.ADDRESS, "acme");
        tally.count(null, "192.0.2.1", Reason.MALFORMED, null);
        AtomicLong overflow = new AtomicLong();

        Map<Key, Long> taken = drain(tally, overflow);

        String prefix = TokenFormat.displayPrefix(TOKEN);
        assertEquals(Map.of(new Key(prefix, "192.0.2.1", Reason.INVALID, null), 2L,
                new Key(prefix, "192.0.2.2", Reason.INVALID, null), 1L,
                new Key(prefix, "192.0.2.1", Reason.ADDRESS, "acme"), 1L,
                new Key(null, "192.0.2.1", Reason.MALFORMED, null), 1L), taken);
        assertEquals(0, overflow.get());
        assertTrue(taken.keySet().stream().noneMatch(k -> String.valueOf(k).contains(TOKEN.substring(8))));
        assertEquals(0, tally.entries(), "a drain empties the tally");
        assertEquals(Map.of(), drain(tally, overflow));
    }

    @Test
    void randomTokensFromRandomAddressesThenBoundedEntriesAndTheRestCountedAsOverflow() {
        SecureRandom random = new SecureRandom();
        int sent = FailureTally.MAX_ENTRIES * 5;
        for (int i = 0; i < sent; i++) {
            tally.count(TokenFormat.generate(random), "198.51." + (i / 250) + "." + (i % 250), Reason.INVALID, null);
        }
        assertEquals(FailureTally.MAX_ENTRIES, tally.entries());

        AtomicLong overflow = new AtomicLong();
        Map<Key, Long> taken = drain(tally, overflow);

        assertEquals(FailureTally.MAX_ENTRIES, taken.size());
        assertEquals(sent, taken.values().stream().mapToLong(Long::longValue).sum() + overflow.get(),
                "every failure is counted, itemised or not");
        tally.count(TOKEN, "192.0.2.1", Reason.INVALID, null);
        assertEquals(1, tally.entries(), "the next interval has room again");
    }

    @Test
    void noFailureLostOrCountedTwiceUnderConcurrentCountingAndDraining() throws Exception {
        FailureTally small = new FailureTally(5);
        int threads = 4;
        int perThread = 50_000;
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            CountDownLatch start = new CountDownLatch(1);
            List<Future<?>> counters = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                counters.add(pool.submit(() -> {
                    start.await();
                    for (int i = 0; i < perThread; i++) {
                        small.count(TOKEN, "192.0.2." + (i % 8), Reason.INVALID, null);
                    }
                    return null;
                }));
            }
            start.countDown();
            AtomicLong overflow = new AtomicLong();
            long itemised = 0;
            while (!counters.stream().allMatch(Future::isDone)) {
                itemised += drain(small, overflow).values().stream().mapToLong(Long::longValue).sum();
                assertTrue(small.entries() <= 5, "never more keys than the bound");
            }
            for (Future<?> counter : counters) {
                counter.get();
            }
            itemised += drain(small, overflow).values().stream().mapToLong(Long::longValue).sum();
            assertEquals((long) threads * perThread, itemised + overflow.get());
            assertTrue(overflow.get() > 0, "8 addresses against 5 slots overflowed");
        } finally {
            pool.shutdownNow();
        }
    }
}
