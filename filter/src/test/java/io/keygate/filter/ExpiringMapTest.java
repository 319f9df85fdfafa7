package io.keygate.filter;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

class ExpiringMapTest {

    private static final long NOW = 1_000_000;

    @Test
    void getWhenBeforeDeadlineThenValueAndAtDeadlineThenGone() {
        ExpiringMap<String> map = new ExpiringMap<>(10);
        map.put("k", "v", NOW + 100, NOW);
        assertEquals("v", map.get("k", NOW + 99));
        assertNull(map.get("k", NOW + 100));
        assertEquals(0, map.size(), "an entry found past its deadline is dropped");
    }

    @Test
    void putWhenDeadlineAlreadyPassedOrNoRoomAtAllThenNothingKept() {
        ExpiringMap<String> map = new ExpiringMap<>(10);
        map.put("k", "v", NOW, NOW);
        assertEquals(0, map.size());
        ExpiringMap<String> none = new ExpiringMap<>(0);
        none.put("k", "v", NOW + 100, NOW);
        assertEquals(0, none.size());
        assertThrows(IllegalArgumentException.class, () -> new ExpiringMap<String>(-1));
    }

    @Test
    void putWhenFullThenExpiredEntriesGoFirst() {
        ExpiringMap<String> map = new ExpiringMap<>(3);
        map.put("short", "s", NOW + 10, NOW);
        map.put("a", "a", NOW + 1000, NOW);
        map.put("b", "b", NOW + 1000, NOW);
        map.put("c", "c", NOW + 1000, NOW + 20);
        assertNull(map.get("short", NOW + 20));
        assertEquals("a", map.get("a", NOW + 20));
        assertEquals(3, map.size());
    }

    @Test
    void putWhenFullOfLiveEntriesThenOldestTenthGoes() {
        ExpiringMap<Integer> map = new ExpiringMap<>(100);
        for (int i = 0; i < 100; i++) {
            map.put("k" + i, i, NOW + 1000, NOW);
        }
        map.put("new", 100, NOW + 1000, NOW);
        assertEquals(91, map.size());
        for (int i = 0; i < 10; i++) {
            assertNull(map.get("k" + i, NOW), "k" + i + " was among the oldest");
        }
        assertEquals(10, map.get("k10", NOW));
        assertEquals(100, map.get("new", NOW));
    }

    @Test
    void putWhenKeyPresentAndFullThenReplacedWithoutEviction() {
        ExpiringMap<String> map = new ExpiringMap<>(2);
        map.put("a", "1", NOW + 1000, NOW);
        map.put("b", "1", NOW + 1000, NOW);
        map.put("a", "2", NOW + 1000, NOW);
        assertEquals("2", map.get("a", NOW));
        assertEquals("1", map.get("b", NOW));
    }

    @Test
    void removeIfAndClearDropMatchingEntries() {
        ExpiringMap<String> map = new ExpiringMap<>(10);
        map.put("a", "acme", NOW + 1000, NOW);
        map.put("b", "globex", NOW + 1000, NOW);
        map.removeIf("acme"::equals);
        assertNull(map.get("a", NOW));
        assertEquals("globex", map.get("b", NOW));
        map.clear();
        assertEquals(0, map.size());
    }

    @Test
    void concurrentPutsNeverExceedTheBound() throws Exception {
        int max = 500;
        ExpiringMap<Integer> map = new ExpiringMap<>(max);
        ExecutorService pool = Executors.newFixedThreadPool(8);
        List<Future<Integer>> largest = new ArrayList<>();
        for (int t = 0; t < 8; t++) {
            int thread = t;
            largest.add(pool.submit(() -> {
                int seen = 0;
                for (int i = 0; i < 20_000; i++) {
                    map.put(thread + "-" + i, i, NOW + 1000, NOW);
                    seen = Math.max(seen, map.size());
                }
                return seen;
            }));
        }
        for (Future<Integer> seen : largest) {
            assertTrue(seen.get() <= max, "seen " + seen.get());
        }
        pool.shutdown();
        assertTrue(map.size() <= max && map.size() > max / 2, "size " + map.size());
    }
}
