package io.keygate.filter;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class CoalescerTest {

    private static final String HASH = "a".repeat(64);
    private static final VerificationResult VALID = new VerificationResult.Valid(
            new VerifiedToken("acme", "tok-1", "n", "alice", Set.of("read"), null));

    private final Coalescer coalescer = new Coalescer();
    private final ExecutorService pool = Executors.newCachedThreadPool();
    private final AtomicInteger calls = new AtomicInteger();
    private final CountDownLatch inCall = new CountDownLatch(1);
    private final CountDownLatch release = new CountDownLatch(1);

    /** A verifier call that holds until released. */
    private final Supplier<VerificationResult> slowCall = () -> {
        calls.incrementAndGet();
        inCall.countDown();
        try {
            release.await(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return VALID;
    };

    @AfterEach
    void stop() {
        release.countDown();
        pool.shutdownNow();
    }

    @Test
    void concurrentMissesOfOneGenerationShareOneCall() throws Exception {
        Future<VerificationResult> leader = pool.submit(() -> coalescer.verify(HASH, 7, slowCall));
        assertTrue(inCall.await(5, TimeUnit.SECONDS));
        List<Thread> waiting = new ArrayList<>();
        List<Future<VerificationResult>> followers = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            followers.add(pool.submit(() -> {
                synchronized (waiting) {
                    waiting.add(Thread.currentThread());
                }
                return coalescer.verify(HASH, 7, slowCall);
            }));
        }
        awaitAllWaiting(waiting, 20);
        release.countDown();

        assertSame(VALID, leader.get(5, TimeUnit.SECONDS));
        for (Future<VerificationResult> follower : followers) {
            assertSame(VALID, follower.get(5, TimeUnit.SECONDS));
        }
        assertEquals(1, calls.get());
        assertEquals(0, coalescer.inFlight());
    }

    @Test
    void requestOfANewerGenerationDoesNotJoinAnOlderCall() throws Exception {
        pool.submit(() -> coalescer.verify(HASH, 7, slowCall));
        assertTrue(inCall.await(5, TimeUnit.SECONDS));

        VerificationResult newer = coalescer.verify(HASH, 8, () -> new VerificationResult.Invalid());

        assertInstanceOf(VerificationResult.Invalid.class, newer);
    }

    @Test
    void bypassingRequestsAreNeverCoalesced() {
        coalescer.verify(HASH, InvalidationSync.BYPASS, () -> {
            calls.incrementAndGet();
            return VALID;
        });
        coalescer.verify(HASH, InvalidationSync.BYPASS, () -> {
            calls.incrementAndGet();
            return VALID;
        });
        assertEquals(2, calls.get());
        assertEquals(0, coalescer.inFlight());
    }

    @Test
    void leaderFailingThenFollowersGetUnavailableAndTheMapIsEmpty() throws Exception {
        CountDownLatch failNow = new CountDownLatch(1);
        Future<?> leader = pool.submit(() -> coalescer.verify(HASH, 1, () -> {
            inCall.countDown();
            try {
                failNow.await(5, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            throw new IllegalStateException("boom");
        }));
        assertTrue(inCall.await(5, TimeUnit.SECONDS));
        List<Thread> waiting = new ArrayList<>();
        Future<VerificationResult> follower = pool.submit(() -> {
            synchronized (waiting) {
                waiting.add(Thread.currentThread());
            }
            return coalescer.verify(HASH, 1, slowCall);
        });
        awaitAllWaiting(waiting, 1);
        failNow.countDown();

        assertInstanceOf(VerificationResult.Unavailable.class, follower.get(5, TimeUnit.SECONDS));
        java.util.concurrent.ExecutionException thrown =
                assertThrows(java.util.concurrent.ExecutionException.class, () -> leader.get(5, TimeUnit.SECONDS));
        assertInstanceOf(IllegalStateException.class, thrown.getCause());
        assertEquals(0, coalescer.inFlight());
    }

    /** Waits until every follower thread is parked on the call in flight. */
    private static void awaitAllWaiting(List<Thread> threads, int expected) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (System.nanoTime() < deadline) {
            synchronized (threads) {
                if (threads.size() == expected && threads.stream().allMatch(
                        t -> t.getState() == Thread.State.WAITING || t.getState() == Thread.State.TIMED_WAITING)) {
                    return;
                }
            }
            Thread.sleep(5);
        }
        throw new AssertionError("followers did not all wait");
    }
}
