package io.keygate.limits;

import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.atomic.AtomicLongArray;

/**
 * One key's count in one window of a {@link CountBoard}, as an {@link AtomicLongArray} (a JDK type, so that the
 * filters of every WAR and {@code keygate.war} can share it across class loaders), and the rules every side applies
 * to it. This class holds no state: the same logic runs in the filter's shaded copy and in {@code keygate.war}'s.
 *
 * <p>Slots: {@link #INDEX} (the window, {@code epochMillis / windowMillis}, so that every WAR and server agrees which
 * window a moment falls in), {@link #MILLIS} (the window's length), {@link #LOCAL} (what this server counted, all its
 * WARs together), {@link #SENT} (the part of {@link #LOCAL} already sent to the other servers), {@link #OTHERS}
 * (what the other servers said they counted), {@link #KNOWN} (the part of {@link #SENT} that every other server has
 * confirmed receiving) and {@link #ACKED} (the part of {@link #OTHERS} whose receipt this server has confirmed to
 * its senders: what they count as known of their own; {@code -1} until a {@code keygate.war} that confirms adds
 * others' counts, so that under an older one, which does not, every count heard of is taken as confirmed). An array belongs to one window for its whole life: a new
 * window gets a new array, so a count never has to be reset atomically with its window.
 *
 * <p>Why the share rule in {@link #admit}: servers learn of each other's requests some tens of milliseconds late.
 * If each may spend only its share of what is left (divided by the number of servers) beyond what the others have
 * confirmed, two servers together overshoot a limit by at most one request, however late the news: see
 * {@link #admit}.
 */
public final class SharedWindow {

    public static final int INDEX = 0;
    public static final int MILLIS = 1;
    public static final int LOCAL = 2;
    public static final int SENT = 3;
    public static final int OTHERS = 4;
    public static final int KNOWN = 5;
    public static final int ACKED = 6;
    private static final int SLOTS = 7;

    private SharedWindow() {
    }

    /** A fresh count for window {@code index} of {@code windowMillis}. */
    public static AtomicLongArray open(long windowMillis, long index) {
        AtomicLongArray window = new AtomicLongArray(SLOTS);
        window.set(INDEX, index);
        window.set(MILLIS, windowMillis);
        window.set(ACKED, -1);
        return window;
    }

    /** The window a moment falls in, the same on every server whose clock is right. */
    public static long index(long nowMillis, long windowMillis) {
        return Math.floorDiv(nowMillis, windowMillis);
    }

    /** When the window ends, epoch milliseconds. */
    public static long endMillis(AtomicLongArray window) {
        return (window.get(INDEX) + 1) * window.get(MILLIS);
    }

    public static boolean ended(AtomicLongArray window, long nowMillis) {
        return nowMillis >= endMillis(window);
    }

    /** Whole seconds until the window ends, at least 1 (for {@code Retry-After} and {@code RateLimit-Reset}). */
    public static long secondsLeft(AtomicLongArray window, long nowMillis) {
        return Math.max(1, (endMillis(window) - nowMillis + 999) / 1000);
    }

    /** What every server together counted in the window, as far as this server knows. */
    public static long total(AtomicLongArray window) {
        return window.get(LOCAL) + window.get(OTHERS);
    }

    /**
     * {@code key}'s count in the window of {@code nowMillis}, opened (or rolled over from an ended window) if need
     * be; {@code null} when {@code maxKeys} keys hold live windows and the key is not among them, so that a flood of
     * distinct keys cannot exhaust memory. A window newer than now, opened by a server whose clock is ahead, is kept.
     */
    public static AtomicLongArray current(ConcurrentMap<String, AtomicLongArray> windows, String key,
            long windowMillis, long nowMillis, int maxKeys) {
        long index = index(nowMillis, windowMillis);
        AtomicLongArray window = windows.get(key);
        if (window != null && window.get(INDEX) >= index && window.get(MILLIS) == windowMillis) {
            return window;
        }
        if (window == null && windows.size() >= maxKeys && !sweep(windows, nowMillis, maxKeys)) {
            return null;
        }
        return windows.compute(key, (k, old) -> old != null && old.get(INDEX) >= index
                && old.get(MILLIS) == windowMillis ? old : open(windowMillis, index));
    }

    /** {@code key}'s live window, or {@code null}; an ended one is forgotten as soon as it is looked at. */
    public static AtomicLongArray live(ConcurrentMap<String, AtomicLongArray> windows, String key, long nowMillis) {
        AtomicLongArray window = windows.get(key);
        if (window != null && ended(window, nowMillis)) {
            windows.remove(key, window);
            return null;
        }
        return window;
    }

    /**
     * Counts one request if the limit allows it, without a lock: admitted iff every server's count stays below
     * {@code limit} and the part of this server's count that the others have not confirmed stays below its share of
     * what is left, {@code ceil((limit - known - acked) / servers)}. Alone ({@code servers == 1}) that is just the
     * first rule.
     *
     * <p>Why two servers overshoot by at most one: take each server's last admission. If the confirmation that set
     * this server's {@link #KNOWN} was written after the other's last admission, it travelled behind all of the
     * other's count (each server's messages arrive in the order sent), so the first rule alone caps the sum at the
     * limit. Otherwise each server confirmed, before its own last admission, all the other counts as known: each
     * one's {@link #ACKED} holds at least the other's {@link #KNOWN}, and the two shares add up to at most what is
     * left plus one. Counting the share from
     * {@link #ACKED} rather than {@link #OTHERS} is what lets a burst spread over both servers be admitted in full: a
     * count heard of but not confirmed yet does not shrink this server's share, since its sender cannot count it as
     * known either. With more servers the rule aims at one request per server beyond the first; that needs every
     * server to read all messages in one order, as from the database table (with each sender's order alone, a
     * contrived schedule with one link hundreds of milliseconds slower than the others can exceed it).
     *
     * @return every server's count including this request, or {@code -1} when refused (and nothing counted)
     */
    public static long admit(AtomicLongArray window, long limit, long servers) {
        long share = Math.max(1, servers);
        while (true) {
            long local = window.get(LOCAL);
            long known = window.get(KNOWN);
            long others = window.get(OTHERS);
            if (local + others >= limit) {
                return -1;
            }
            long left = limit - known - acked(window, others);
            if (local - known >= (left + share - 1) / share) {
                return -1;
            }
            if (window.compareAndSet(LOCAL, local, local + 1)) {
                return local + 1 + others;
            }
        }
    }

    /**
     * {@link #ACKED}; or {@code others} in a window opened by an older copy of this class, without that slot, or whose
     * counts of others came from a {@code keygate.war} older than confirmations: such a one counts this server's count
     * as known after the delivery bound whether or not this server confirmed it.
     */
    private static long acked(AtomicLongArray window, long others) {
        long acked = window.length() > ACKED ? window.get(ACKED) : -1;
        return acked < 0 ? others : acked;
    }

    /** Counts one event (a failure) unconditionally; every server's count including it. */
    public static long add(AtomicLongArray window) {
        return window.incrementAndGet(LOCAL) + window.get(OTHERS);
    }

    /** The part of this server's count not yet sent, now marked sent: what the exchange sends next. */
    public static long takeUnsent(AtomicLongArray window) {
        while (true) {
            long sent = window.get(SENT);
            long local = window.get(LOCAL);
            if (local <= sent) {
                return 0;
            }
            if (window.compareAndSet(SENT, sent, local)) {
                return local - sent;
            }
        }
    }

    /**
     * Every other server has confirmed receiving this server's count up to {@code sent} (a value of {@link #SENT}):
     * the share rule may count it as known.
     */
    public static void known(AtomicLongArray window, long sent) {
        window.accumulateAndGet(KNOWN, sent, Math::max);
    }

    /**
     * This server is about to confirm to the others every count of theirs it holds: the share rule counts them from
     * now on ({@link #ACKED} becomes {@link #OTHERS}), before the confirmation lets their senders count them as known.
     */
    public static void acknowledge(AtomicLongArray window) {
        if (window.length() > ACKED) {
            window.accumulateAndGet(ACKED, window.get(OTHERS), Math::max);
        }
    }

    /**
     * Adds what another server counted in window {@code index} of {@code windowMillis}: to the same window it is
     * added, a newer one replaces an older one, an older or ended one is ignored, and so is a new key when
     * {@code maxKeys} keys are tracked. Only {@code keygate.war}'s exchange calls this, and from this version on it
     * confirms what it receives: {@link #ACKED} starts counting.
     *
     * @return the window it was added to, or {@code null} when ignored
     */
    public static AtomicLongArray receive(ConcurrentMap<String, AtomicLongArray> windows, String key,
            long windowMillis, long index, long count, long nowMillis, int maxKeys) {
        if (count <= 0 || (index + 1) * windowMillis <= nowMillis
                || (!windows.containsKey(key) && windows.size() >= maxKeys)) {
            return null;
        }
        AtomicLongArray window = windows.compute(key, (k, old) -> old != null && old.get(MILLIS) == windowMillis
                && old.get(INDEX) >= index ? old : open(windowMillis, index));
        if (window.get(INDEX) == index && window.get(MILLIS) == windowMillis) {
            window.addAndGet(OTHERS, count);
            if (window.length() > ACKED) {
                window.compareAndSet(ACKED, -1, 0);
            }
            return window;
        }
        return null;
    }

    /** Forgets every ended window; whether there is room for another key now. */
    public static boolean sweep(ConcurrentMap<String, AtomicLongArray> windows, long nowMillis, int maxKeys) {
        windows.values().removeIf(window -> ended(window, nowMillis));
        return windows.size() < maxKeys;
    }
}
