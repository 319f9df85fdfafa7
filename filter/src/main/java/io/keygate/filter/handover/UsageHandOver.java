package io.keygate.filter.handover;

import io.keygate.protocol.UsageReport;
import io.keygate.protocol.VerifierProtocol;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;
import java.util.function.Supplier;
import java.util.logging.Logger;

/**
 * Counts every authenticated request per token id in memory and hands the counts to the verifier in batches
 ({@link VerifierProtocol#RECORD_USAGE}, a {@link UsageReport}), every {@value #INTERVAL_MILLIS} ms and when the WAR is undeployed,
 * so that a request served from the cache still counts, without a call across applications.
 *
 * <pre>
 * usage.start(scheduler);     // the filter's own scheduler (FilterJobs), or null
 * usage.count(tokenId, now);  // per request
 * usage.close();              // Filter.destroy(): the last hand-over
 * </pre>
 *
 * <p>No count is lost: a hand-over the verifier does not take (it is absent or redeploying) is kept and sent
 * again with the next one. A request adds to its token's tally with one atomic increment; the hand-over swaps
 * each tally to zero atomically, and detaches a tally that stayed at zero (so the map holds only tokens in use)
 * by swapping it to a negative value, which a request that still finds it notices and replaces. Without a
 * scheduler (or if it refuses the task), the hand-over rides on requests instead, at most once per interval.
 *
 * <p>A server that stops undeploys its applications in an order of its own, and Payara Micro stops
 * {@code keygate.war}'s verifier before the other WARs' filters are destroyed, so the last hand-over in
 * {@link #close()} can find no verifier. Each hand-over to a verifier in the same JVM therefore also hands it
 * {@link #source}, through which {@code keygate.war} takes what is still counted here when it stops itself
 * ({@link #takeAll}); whichever of the two stops first, the counts reach the store.
 *
 * <p>The one case that can lose counts: the protected WAR is undeployed while {@code keygate.war} is away and
 * does not stop afterwards; what it counted in its last second is then logged as lost, by number.
 */
public final class UsageHandOver extends PeriodicHandOver {

    private static final Logger LOG = Logger.getLogger(UsageHandOver.class.getName());
    /** A tally the hand-over took out of the map: a request that still finds it counts on a fresh one. */
    private static final long DETACHED = Long.MIN_VALUE;

    private static final class Tally {
        final AtomicLong count = new AtomicLong();
        final AtomicLong lastUsed = new AtomicLong();
    }

    private final UsageRecorder verifier;
    private final LongSupplier clock;
    private final ConcurrentHashMap<String, Tally> tallies = new ConcurrentHashMap<>();
    /** Counted and not yet taken by the verifier: token id to {count, lastUsed}; guarded by {@link #handingOver}. */
    private final Map<String, long[]> unsent = new HashMap<>();
    /** Handed to the verifier with each batch; held here, so the verifier may keep it weakly. */
    private final Supplier<Map<String, List<Long>>> source = this::takeAll;
    /** {@link UsageRecorder#lookups()} when {@link #source} was last handed over; written under {@link #handingOver}. */
    private volatile long sourceHandedTo = -1;
    private volatile boolean piggyBack = true;
    private volatile long nextPiggyBack;

    public UsageHandOver(UsageRecorder verifier, LongSupplier clock) {
        super("usage counts", verifier::answers);
        this.verifier = verifier;
        this.clock = clock;
    }

    /** Hands over every interval on {@code scheduler}; without one (or if it refuses), on requests. */
    @Override
    public synchronized boolean start(ScheduledExecutorService scheduler) {
        boolean scheduled = super.start(scheduler);
        piggyBack = !scheduled;
        return scheduled;
    }

    /** Counts one use of {@code tokenId} at {@code now} (epoch milliseconds). */
    public void count(String tokenId, long now) {
        while (true) {
            Tally tally = tallies.get(tokenId);
            if (tally == null) {
                tally = tallies.computeIfAbsent(tokenId, id -> new Tally());
            }
            if (tally.count.getAndIncrement() >= 0) {
                long last = tally.lastUsed.get();
                if (now > last) {
                    tally.lastUsed.compareAndSet(last, now);
                }
                break;
            }
            tallies.remove(tokenId, tally);
        }
        if (piggyBack && now >= nextPiggyBack) {
            handOver();
        } else if (sourceHandedTo != verifier.lookups()) {
            // The verifier does not know this filter's source yet: a server stopped right now would lose what was
            // just counted, so hand over (and with it the source) at once, on the scheduler.
            handOverSoon();
        }
    }

    @Override
    void lostAtClose() {
        long uses = unsent.values().stream().mapToLong(u -> u[0]).sum();
        LOG.warning("Keygate could not hand over the last " + uses + " counted uses of " + unsent.size()
                + " tokens: the verifier is not available while this application stops");
    }

    /**
     * Everything counted and not yet taken, as a {@link VerifierProtocol#RECORD_USAGE} batch, which the caller now
     * owns: {@code keygate.war} calls this through {@link #source} when it stops. Waits at most two seconds for a
     * hand-over in progress, and gives nothing rather than count twice.
     */
    Map<String, List<Long>> takeAll() {
        try {
            if (!handingOver.tryLock(2, TimeUnit.SECONDS)) {
                return Map.of();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Map.of();
        }
        try {
            drain();
            Map<String, List<Long>> batch = report().toWire();
            unsent.clear();
            return batch;
        } finally {
            handingOver.unlock();
        }
    }

    /** Uses counted and not yet taken by the verifier, all tokens together. */
    public long pending() {
        handingOver.lock();
        try {
            long counted = tallies.values().stream().mapToLong(t -> Math.max(0, t.count.get())).sum();
            return counted + unsent.values().stream().mapToLong(u -> u[0]).sum();
        } finally {
            handingOver.unlock();
        }
    }

    /** Tokens with a tally right now. */
    public int tokens() {
        return tallies.size();
    }

    @Override
    boolean send(boolean last) {
        nextPiggyBack = clock.getAsLong() + INTERVAL_MILLIS;
        drain();
        if (unsent.isEmpty()) {
            // Nothing to hand over, but the verifier must know the source before a stop needs it (not once this WAR
            // stops itself, with nothing left to take).
            if (!last && sourceHandedTo != verifier.lookups()) {
                if (!verifier.recordUsage(UsageReport.EMPTY, source)) {
                    return false;
                }
                sourceHandedTo = verifier.lookups();
            }
            return true;
        }
        if (!verifier.recordUsage(report(), source)) {
            return false;
        }
        sourceHandedTo = verifier.lookups();
        unsent.clear();
        return true;
    }

    private UsageReport report() {
        Map<String, UsageReport.Use> uses = new HashMap<>();
        unsent.forEach((tokenId, use) -> uses.put(tokenId, new UsageReport.Use(use[0], use[1])));
        return new UsageReport(uses);
    }

    private void drain() {
        tallies.forEach((tokenId, tally) -> {
            long uses = tally.count.getAndSet(0);
            if (uses > 0) {
                long[] use = unsent.computeIfAbsent(tokenId, id -> new long[2]);
                use[0] += uses;
                use[1] = Math.max(use[1], tally.lastUsed.get());
            } else if (tally.count.compareAndSet(0, DETACHED)) {
                tallies.remove(tokenId, tally);
            }
        });
    }
}
