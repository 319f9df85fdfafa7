package io.keygate.server.cluster;

import io.keygate.config.ConfigLookup;
import io.keygate.config.ConfigValues;
import io.keygate.limits.CountBoard;
import io.keygate.limits.SharedWindow;
import jakarta.servlet.ServletException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.function.LongSupplier;
import java.util.logging.Logger;

/**
 * Exchanges the server's {@link CountBoard} with the other servers, so that a token's {@code rateLimit} and the
 * brute-force throttle hold across the cluster, with no network call on a request's thread. Every
 * {@value #PERIOD_MILLIS} milliseconds (default {@value #DEFAULT_PERIOD_MILLIS}) it takes the part of each window's
 * count not yet sent, marks it sent and sends it in {@code counts} messages through the {@link ClusterChannel}, with
 * the exchange's number and, for every other server, the latest of its exchanges this server confirms holding; what
 * other servers send is added to their part of the same window. It also writes the number of live servers into the
 * board, which the share rule of {@link SharedWindow#admit} divides by, and forgets ended windows.
 *
 * <p>Why a share rule rather than waiting for the others: the news arrives some tens of milliseconds late (a database
 * engine's poll, a hundred), so servers that have not heard of each other's latest requests could each spend the
 * whole rest of a quota; spending only a share of it bounds the overshoot to one request per extra server. The share
 * counts this server's count as known once every other server confirmed holding it ({@link InFlight}), which takes
 * one exchange there and back: sent is not received, and waiting instead for the worst case of the channel's delivery
 * ({@link ClusterChannel#deliveryMillis()}, 300 ms for a database engine) left a burst spread over two servers a few
 * requests under the limit. The delivery bound remains the fallback for a server that does not confirm.
 */
public final class ClusterCounts {

    /** The kind of the messages this class sends and takes. */
    public static final String KIND = "counts";
    public static final String PERIOD_MILLIS = "keygate.cluster.counts-millis";
    public static final int DEFAULT_PERIOD_MILLIS = 25;
    static final int MAX_PERIOD_MILLIS = 10_000;

    private static final Logger LOG = Logger.getLogger(ClusterCounts.class.getName());

    private final CountBoard board;
    private final ClusterChannel channel;
    private final LongSupplier clock;
    private final AtomicBoolean warned = new AtomicBoolean();
    private final InFlight inFlight = new InFlight();
    private final Receipts receipts = new Receipts();
    private volatile ScheduledFuture<?> ticks;
    private volatile long periodMillis = DEFAULT_PERIOD_MILLIS;
    /** The number of this server's latest exchange with counts; touched by {@link #tick} alone. */
    private long exchanges;

    /** @param clock epoch milliseconds */
    public ClusterCounts(CountBoard board, ClusterChannel channel, LongSupplier clock) {
        this.board = board;
        this.channel = channel;
        this.clock = clock;
    }

    /** {@value #PERIOD_MILLIS}, from 1 to {@value #MAX_PERIOD_MILLIS}; anything else fails the deployment. */
    public static int periodMillis(ConfigLookup config) throws ServletException {
        return ConfigValues.number(config, PERIOD_MILLIS, DEFAULT_PERIOD_MILLIS, 1, MAX_PERIOD_MILLIS);
    }

    /** Takes other servers' counts from now on, and sends this server's every {@code periodMillis}. */
    public void start(ScheduledExecutorService scheduler, long periodMillis) {
        this.periodMillis = periodMillis;
        channel.receive(KIND, this::accept);
        ticks = scheduler.scheduleWithFixedDelay(this::tick, periodMillis, periodMillis, TimeUnit.MILLISECONDS);
    }

    /** Stops sending; what was not sent yet is a hint the others can do without. */
    public void stop() {
        ScheduledFuture<?> current = ticks;
        if (current != null) {
            current.cancel(false);
        }
    }

    /** One exchange; never throws, since a periodic job that throws is never run again. */
    public void tick() {
        try {
            long now = clock.getAsLong();
            int servers = channel.servers();
            board.servers(servers);
            inFlight.settle(servers, now, boundMillis());
            long mark = receipts.mark();
            Taken taken = new Taken();
            collect(board.rates(), true, now, taken);
            collect(board.failures(), false, now, taken);
            boolean confirming = receipts.confirm(mark, taken.busy, now, channel.deliveryMillis());
            if (servers > 1 && (!taken.entries.isEmpty() || confirming)) {
                long exchange = taken.entries.isEmpty() ? 0 : ++exchanges;
                for (String body : CountsMessage.write(taken.entries, exchange, receipts.confirmed())) {
                    channel.send(new ClusterMessage(channel.serverId(), KIND, body));
                }
                if (exchange > 0) {
                    inFlight.sent(exchange, now, taken.windows, taken.sent);
                }
            }
        } catch (RuntimeException e) {
            if (warned.compareAndSet(false, true)) {
                LOG.warning("Keygate could not send this server's request counts to the other servers (" + e
                        + "); rate limits may let more through until it can");
            }
        }
    }

    /**
     * Adds another server's counts, then takes its confirmations of this server's (the channel hands it only
     * {@value #KIND} messages of other servers, each server's in the order sent).
     */
    public void accept(ClusterMessage message) {
        long now = clock.getAsLong();
        List<AtomicLongArray> rates = new ArrayList<>();
        CountsMessage.Header header = CountsMessage.read(message.body(), entry -> {
            AtomicLongArray window = SharedWindow.receive(entry.rate() ? board.rates() : board.failures(),
                    entry.key(), entry.windowMillis(), entry.index(), entry.count(), now, CountBoard.MAX_KEYS);
            if (window != null && entry.rate()) {
                rates.add(window);
            }
        });
        if (header.exchange() > 0) {
            receipts.closed(message.sender(), header.exchange(), rates, now);
        } else if (!rates.isEmpty()) {
            receipts.counted(message.sender(), rates);
        }
        Long mine = header.received().get(channel.serverId());
        if (mine != null) {
            inFlight.confirmedBy(message.sender(), mine, now);
            inFlight.settle((int) board.servers(), now, boundMillis());
        }
    }

    /**
     * How long after it was sent an exchange counts as known without every confirmation: the delivery bound there,
     * a confirmation held back for as long ({@link Receipts}), the delivery bound back, and an exchange at each end.
     */
    private long boundMillis() {
        long delivery = channel.deliveryMillis();
        return 3 * delivery + 2 * periodMillis;
    }

    /** What one exchange takes from the board. */
    private static final class Taken {
        private final List<CountsMessage.Entry> entries = new ArrayList<>();
        private final List<AtomicLongArray> windows = new ArrayList<>();
        private final List<Long> sent = new ArrayList<>();
        /** The rate windows this server counted requests in since the last exchange. */
        private final Set<AtomicLongArray> busy = Collections.newSetFromMap(new IdentityHashMap<>());
    }

    /** Forgets ended windows and takes every live one's unsent part. */
    private static void collect(ConcurrentMap<String, AtomicLongArray> windows, boolean rate, long now, Taken taken) {
        for (Map.Entry<String, AtomicLongArray> entry : windows.entrySet()) {
            AtomicLongArray window = entry.getValue();
            if (SharedWindow.ended(window, now)) {
                windows.remove(entry.getKey(), window);
                continue;
            }
            long count = SharedWindow.takeUnsent(window);
            if (count > 0) {
                taken.entries.add(new CountsMessage.Entry(rate, entry.getKey(), window.get(SharedWindow.MILLIS),
                        window.get(SharedWindow.INDEX), count));
                taken.windows.add(window);
                taken.sent.add(window.get(SharedWindow.SENT));
                if (rate) {
                    taken.busy.add(window);
                }
            }
        }
    }
}
