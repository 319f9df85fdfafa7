package io.keygate.server.cluster;

import io.keygate.config.ConfigLookup;
import io.keygate.config.ConfigValues;
import io.keygate.limits.CountBoard;
import io.keygate.limits.SharedWindow;
import jakarta.servlet.ServletException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;
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
 * count not yet sent, marks it sent and sends it in {@code counts} messages through the {@link ClusterChannel}; what
 * other servers send is added to their part of the same window. It also writes the number of live servers into the
 * board, which the share rule of {@link SharedWindow#admit} divides by, and forgets ended windows.
 *
 * <p>Why a share rule rather than waiting for the others: the news arrives some tens of milliseconds late (a database
 * engine's poll, a hundred), so servers that have not heard of each other's latest requests could each spend the
 * whole rest of a quota; spending only a share of it bounds the overshoot to one request per extra server. The share
 * counts what was sent as known only once the channel's delivery time ({@link ClusterChannel#deliveryMillis()}) has
 * passed since it was sent ({@link SharedWindow#known}): sent is not received, and a database engine delivers a few
 * of these exchanges later.
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
    private volatile ScheduledFuture<?> ticks;
    /** What was sent and when the others have it for sure, oldest first; touched by {@link #tick} alone. */
    private final Deque<Sent> inFlight = new ArrayDeque<>();

    /** {@code window}'s count up to {@code sent} reaches every other server by {@code dueMillis}. */
    private record Sent(long dueMillis, AtomicLongArray window, long sent) {
    }

    /** @param clock epoch milliseconds */
    public ClusterCounts(CountBoard board, ClusterChannel channel, LongSupplier clock) {
        this.board = board;
        this.channel = channel;
        this.clock = clock;
    }

    /** {@value #PERIOD_MILLIS}, from 1 to {@value #MAX_PERIOD_MILLIS}; anything else fails the deployment. */
    public static int periodMillis(ConfigLookup config) throws ServletException {
        int period = ConfigValues.number(config, PERIOD_MILLIS, DEFAULT_PERIOD_MILLIS, MAX_PERIOD_MILLIS);
        if (period < 1) {
            throw new ServletException(String.format(ConfigValues.INVALID_VALUE, PERIOD_MILLIS, period,
                    "expected a whole number from 1 to " + MAX_PERIOD_MILLIS));
        }
        return period;
    }

    /** Takes other servers' counts from now on, and sends this server's every {@code periodMillis}. */
    public void start(ScheduledExecutorService scheduler, long periodMillis) {
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
            while (!inFlight.isEmpty() && inFlight.peekFirst().dueMillis() <= now) {
                Sent arrived = inFlight.removeFirst();
                SharedWindow.known(arrived.window(), arrived.sent());
            }
            List<CountsMessage.Entry> unsent = new ArrayList<>();
            List<AtomicLongArray> windows = new ArrayList<>();
            collect(board.rates(), true, now, unsent, windows);
            collect(board.failures(), false, now, unsent, windows);
            if (servers > 1) {
                for (String body : CountsMessage.write(unsent)) {
                    channel.send(new ClusterMessage(channel.serverId(), KIND, body));
                }
                long due = now + channel.deliveryMillis();
                for (AtomicLongArray window : windows) {
                    inFlight.addLast(new Sent(due, window, window.get(SharedWindow.SENT)));
                }
            }
        } catch (RuntimeException e) {
            if (warned.compareAndSet(false, true)) {
                LOG.warning("Keygate could not send this server's request counts to the other servers (" + e
                        + "); rate limits may let more through until it can");
            }
        }
    }

    /** Adds another server's counts (the channel hands it only {@value #KIND} messages of other servers). */
    public void accept(ClusterMessage message) {
        long now = clock.getAsLong();
        CountsMessage.read(message.body(), entry -> SharedWindow.receive(
                entry.rate() ? board.rates() : board.failures(), entry.key(), entry.windowMillis(), entry.index(),
                entry.count(), now, CountBoard.MAX_KEYS));
    }

    /** Forgets ended windows and takes every live one's unsent part. */
    private static void collect(ConcurrentMap<String, AtomicLongArray> windows, boolean rate, long now,
            List<CountsMessage.Entry> unsent, List<AtomicLongArray> taken) {
        for (Map.Entry<String, AtomicLongArray> entry : windows.entrySet()) {
            AtomicLongArray window = entry.getValue();
            if (SharedWindow.ended(window, now)) {
                windows.remove(entry.getKey(), window);
                continue;
            }
            long count = SharedWindow.takeUnsent(window);
            if (count > 0) {
                unsent.add(new CountsMessage.Entry(rate, entry.getKey(), window.get(SharedWindow.MILLIS),
                        window.get(SharedWindow.INDEX), count));
                taken.add(window);
            }
        }
    }
}
