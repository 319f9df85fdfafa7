package io.keygate.server.store;

import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.fail;

import java.util.List;
import java.util.concurrent.BrokenBarrierException;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Supplier;
import org.eclipse.persistence.sessions.Session;
import org.eclipse.persistence.sessions.SessionEvent;
import org.eclipse.persistence.sessions.SessionEventAdapter;

/**
 * Two store operations at once, each in a thread and a transaction of its own, overlapping the way a lost update
 * needs: both have read and decided before either writes.
 *
 * <p>With {@link #beforeWriting}, each transaction is held before its first {@code INSERT}, {@code UPDATE} or
 * {@code DELETE} (EclipseLink's {@code preExecuteQuery} event for a modify query) until the other one got there
 * too: both have read what they decide on, neither has written. Then both go on and the database decides. So
 * the dangerous overlap happens on every run, not by luck. {@link #atStart} only starts both together.
 */
final class Race {

    private static final long TIMEOUT_SECONDS = 10;

    private Race() {
    }

    /** What one side of the race returned or threw. */
    record Outcome(Object value, RuntimeException failure) {
        boolean won() {
            return failure == null;
        }
    }

    /**
     * Both sides, in the order they were given.
     *
     * @param overlapped whether both sides met before writing, so the database had to decide between them
     */
    record Outcomes(Outcome first, Outcome second, boolean overlapped) {

        /**
         * Asserts that the two sides overlapped, that exactly one won and that the other lost with
         * {@link ConflictException}; returns the winner's value.
         */
        Object oneWinsOtherConflicts() {
            if (!overlapped) {
                fail("the two sides did not overlap; the race proves nothing: " + first + " and " + second);
            }
            if (first.won() == second.won()) {
                fail("exactly one side must win, got " + first + " and " + second, first.won() ? null : first.failure);
            }
            Outcome loser = first.won() ? second : first;
            assertInstanceOf(ConflictException.class, loser.failure, () -> "the loser must get a conflict (409), got "
                    + loser.failure);
            return (first.won() ? first : second).value;
        }

        List<Outcome> both() {
            return List.of(first, second);
        }
    }

    /** Both sides held before their first write until the other one got there too. */
    static Outcomes beforeWriting(Database db, Supplier<?> first, Supplier<?> second) {
        CyclicBarrier writes = new CyclicBarrier(2);
        AtomicBoolean met = new AtomicBoolean();
        ThreadLocal<Boolean> waited = ThreadLocal.withInitial(() -> false);
        SessionEventAdapter gate = new SessionEventAdapter() {
            @Override
            public void preExecuteQuery(SessionEvent event) {
                if (!event.getQuery().isModifyQuery() || waited.get()) {
                    return;
                }
                waited.set(true);
                try {
                    writes.await(TIMEOUT_SECONDS, TimeUnit.SECONDS);
                    met.set(true);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                } catch (BrokenBarrierException | TimeoutException e) {
                    // The other side never writes (it gave up before): this one goes on alone.
                }
            }
        };
        Session session = db.factory().unwrap(Session.class);
        session.getEventManager().addListener(gate);
        try {
            Outcomes outcomes = atStart(first, second);
            return new Outcomes(outcomes.first(), outcomes.second(), met.get());
        } finally {
            session.getEventManager().removeListener(gate);
        }
    }

    /** Both sides started together, nothing more. */
    static Outcomes atStart(Supplier<?> first, Supplier<?> second) {
        CyclicBarrier start = new CyclicBarrier(2);
        ExecutorService threads = Executors.newFixedThreadPool(2);
        try {
            Future<Object> a = threads.submit(() -> afterBarrier(start, first));
            Future<Object> b = threads.submit(() -> afterBarrier(start, second));
            return new Outcomes(outcome(a), outcome(b), false);
        } finally {
            threads.shutdownNow();
        }
    }

    private static Object afterBarrier(CyclicBarrier start, Supplier<?> work) throws Exception {
        start.await(TIMEOUT_SECONDS, TimeUnit.SECONDS);
        return work.get();
    }

    private static Outcome outcome(Future<Object> future) {
        try {
            return new Outcome(future.get(2 * TIMEOUT_SECONDS, TimeUnit.SECONDS), null);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException failure) {
                return new Outcome(null, failure);
            }
            throw new AssertionError("a side of the race failed", e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted", e);
        } catch (TimeoutException e) {
            throw new AssertionError("a side of the race did not finish within " + 2 * TIMEOUT_SECONDS + " s", e);
        }
    }
}
