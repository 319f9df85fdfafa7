package io.keygate.server.cluster;

import io.keygate.limits.SharedWindow;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLongArray;

/**
 * The other servers' exchanges of counts this server received, and which of them it confirms holding: a confirmation
 * lets the sender count those counts as known to this server ({@link SharedWindow#KNOWN}), and this server counts
 * them in its own share rule ({@link SharedWindow#acknowledge}) before it sends the confirmation.
 *
 * <p>Why a confirmation may wait: it hands over part of what is left of a limit. Once confirmed, the sender's share
 * grows and this server's shrinks by half the count each; while the confirmation travels, neither has that half. In
 * a burst spread over the servers each would hand the other its half and back, and the burst would end a few requests
 * under the limit. So an exchange that counted a key this server is itself admitting requests of right now (a busy
 * window) is confirmed only once that key is quiet here, or after {@code holdMillis}; any other is confirmed at the
 * next exchange, so a burst that reaches one server only goes on as soon as the others have heard of it.
 *
 * <p>Called by the channel's thread ({@link #counted}, {@link #closed}) and the exchange's ({@link #mark},
 * {@link #confirm}, {@link #confirmed}); never on a request's thread.
 */
final class Receipts {

    /** A server not heard from for this long is forgotten. */
    static final long FORGET_MILLIS = 60_000;

    /** One exchange of {@code sender} received whole: its number, when, and the rate windows it counted into. */
    private record Exchange(long number, long arrival, long arrivedMillis, List<AtomicLongArray> windows) {
    }

    /** What is known of one other server. */
    private static final class Sender {
        private List<AtomicLongArray> counting = new ArrayList<>();
        private final Deque<Exchange> unconfirmed = new ArrayDeque<>();
        private long received;
        private long confirmed;
        private long heardMillis;
    }

    private final Map<String, Sender> senders = new HashMap<>();
    private long arrivals;

    /**
     * {@code sender}'s counts were added to {@code windows}, rate windows, by a body that does not close an exchange.
     * A sender that never numbered an exchange (a {@code keygate.war} older than confirmations, which counts what it
     * sent as known after the delivery bound) has its counts counted in the share rule at once.
     */
    synchronized void counted(String sender, List<AtomicLongArray> windows) {
        Sender from = senders.computeIfAbsent(sender, id -> new Sender());
        if (from.received == 0) {
            windows.forEach(SharedWindow::acknowledge);
        } else {
            from.counting.addAll(windows);
        }
    }

    /**
     * {@code sender}'s exchange {@code number} arrived whole, its counts added already, the last of them to
     * {@code windows}. An exchange arriving again or out of order is not taken twice.
     */
    synchronized void closed(String sender, long number, List<AtomicLongArray> windows, long nowMillis) {
        Sender from = senders.computeIfAbsent(sender, id -> new Sender());
        from.heardMillis = nowMillis;
        List<AtomicLongArray> counted = from.counting;
        counted.addAll(windows);
        from.counting = new ArrayList<>();
        if (number > from.received) {
            from.received = number;
            from.unconfirmed.addLast(new Exchange(number, ++arrivals, nowMillis, counted));
        } else {
            counted.forEach(SharedWindow::acknowledge);
        }
    }

    /**
     * How many exchanges arrived so far: an exchange confirms only those, since this server's counts taken after this
     * mark were counted knowing them, and counts taken before it travel in the same exchange as the confirmation.
     */
    synchronized long mark() {
        return arrivals;
    }

    /**
     * Confirms every exchange that arrived by {@code mark} unless it counted into a window in {@code busy} less than
     * {@code holdMillis} ago, each sender's in order; counts their windows in this server's share rule first.
     *
     * @return whether anything more is confirmed, so that the exchange tells the senders
     */
    synchronized boolean confirm(long mark, Set<AtomicLongArray> busy, long nowMillis, long holdMillis) {
        boolean more = false;
        for (Iterator<Sender> all = senders.values().iterator(); all.hasNext();) {
            Sender sender = all.next();
            while (!sender.unconfirmed.isEmpty()) {
                Exchange next = sender.unconfirmed.peekFirst();
                if (next.arrival() > mark || nowMillis - next.arrivedMillis() < holdMillis
                        && next.windows().stream().anyMatch(busy::contains)) {
                    break;
                }
                next.windows().forEach(SharedWindow::acknowledge);
                sender.confirmed = next.number();
                sender.unconfirmed.removeFirst();
                more = true;
            }
            if (sender.unconfirmed.isEmpty() && nowMillis - sender.heardMillis > FORGET_MILLIS) {
                all.remove();
            }
        }
        return more;
    }

    /** The latest exchange number of each server whose counts this server confirms holding. */
    synchronized Map<String, Long> confirmed() {
        Map<String, Long> confirmed = new LinkedHashMap<>();
        senders.forEach((id, sender) -> {
            if (sender.confirmed > 0) {
                confirmed.put(id, sender.confirmed);
            }
        });
        return confirmed;
    }
}
