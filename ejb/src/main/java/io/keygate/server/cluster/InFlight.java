package io.keygate.server.cluster;

import io.keygate.limits.SharedWindow;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLongArray;

/**
 * This server's exchanges of counts that not every other server has confirmed yet, and what each of them confirmed:
 * a count becomes {@link SharedWindow#KNOWN} once the others all hold it, which is what the share rule needs, and no
 * sooner. Each other server confirms the latest exchange it holds, so the oldest confirmation among them says which
 * exchanges every one holds.
 *
 * <p>Why a bound besides: a server that stopped (or a {@code keygate.war} older than confirmations) confirms nothing,
 * and counts that never became known would hold this server to its share of the limit until the window ends. So an
 * exchange counts as known anyway once {@code boundMillis} have passed since it was sent: time enough for it to reach
 * every live server and their confirmation to come back, at the channel's delivery bound.
 *
 * <p>Called by the exchange's thread and the channel's; never on a request's thread.
 */
final class InFlight {

    /** One exchange: its number, when it was sent, and the value of {@link SharedWindow#SENT} of each window. */
    private record Exchange(long number, long sentMillis, List<AtomicLongArray> windows, List<Long> sent) {
    }

    /** The latest exchange one other server confirmed, and when. */
    private record Confirmed(long number, long heardMillis) {
    }

    private final Deque<Exchange> unconfirmed = new ArrayDeque<>();
    private final Map<String, Confirmed> confirmers = new HashMap<>();

    /** Exchange {@code number} was sent at {@code nowMillis}, with {@code windows} up to {@code sent}. */
    synchronized void sent(long number, long nowMillis, List<AtomicLongArray> windows, List<Long> sent) {
        unconfirmed.addLast(new Exchange(number, nowMillis, windows, sent));
    }

    /** {@code server} holds this server's exchanges up to {@code number}. */
    synchronized void confirmedBy(String server, long number, long nowMillis) {
        Confirmed before = confirmers.get(server);
        confirmers.put(server, new Confirmed(Math.max(number, before == null ? 0 : before.number()), nowMillis));
    }

    /**
     * Marks known what every other server confirmed, and what was sent {@code boundMillis} ago or earlier. The
     * others are the {@code servers - 1} live ones: only servers that confirmed something within the bound are
     * waited for, and when fewer of them than that are left, none is relied on until the rest confirm.
     */
    synchronized void settle(int servers, long nowMillis, long boundMillis) {
        long everyone = Long.MAX_VALUE;
        int heard = 0;
        for (Confirmed confirmed : confirmers.values()) {
            if (nowMillis - confirmed.heardMillis() <= boundMillis) {
                everyone = Math.min(everyone, confirmed.number());
                heard++;
            }
        }
        if (heard < servers - 1 || servers < 2) {
            everyone = 0;
        }
        while (!unconfirmed.isEmpty() && (unconfirmed.peekFirst().number() <= everyone
                || nowMillis - unconfirmed.peekFirst().sentMillis() >= boundMillis)) {
            Exchange known = unconfirmed.removeFirst();
            for (int i = 0; i < known.sent().size(); i++) {
                SharedWindow.known(known.windows().get(i), known.sent().get(i));
            }
        }
        confirmers.values().removeIf(confirmed -> nowMillis - confirmed.heardMillis() > Receipts.FORGET_MILLIS);
    }
}
