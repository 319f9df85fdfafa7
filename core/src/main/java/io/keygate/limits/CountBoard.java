package io.keygate.limits;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;

/**
 * Where a server counts requests per token and failed authentications per client, one board for the filters of every
 * WAR and {@code keygate.war}, so that a token's {@code rateLimit} and the brute-force throttle hold for the server as
 * a whole rather than per WAR. The windows are {@link SharedWindow}s; {@code keygate.war} exchanges their counts with
 * the other servers and keeps {@link #servers()} up to date.
 *
 * <p>Made of JDK types only: the filter's copy of this class (shaded into {@code keygate-filter.jar}) and
 * {@code keygate.war}'s are different classes, so the board crosses between them as the {@link #toWire() map} the
 * verifier's in-process {@code limits()} function answers, and each side wraps the same objects in its own
 * {@code CountBoard}. A WAR without a verifier in its JVM counts on a private board of its own.
 */
public final class CountBoard {

    /** Key of the request windows per token ({@code ConcurrentMap<String, AtomicLongArray>}). */
    public static final String RATES = "rates";
    /** Key of the failure windows per client ({@code ConcurrentMap<String, AtomicLongArray>}). */
    public static final String FAILURES = "failures";
    /** Key of the number of live servers, at least 1 ({@code AtomicLong}). */
    public static final String SERVERS = "servers";
    /** Most keys of each kind with a live window; beyond them a key is not counted. */
    public static final int MAX_KEYS = 100_000;

    private final ConcurrentMap<String, AtomicLongArray> rates;
    private final ConcurrentMap<String, AtomicLongArray> failures;
    private final AtomicLong servers;

    /** A new, empty board for a server alone. */
    public CountBoard() {
        this(new ConcurrentHashMap<>(), new ConcurrentHashMap<>(), new AtomicLong(1));
    }

    private CountBoard(ConcurrentMap<String, AtomicLongArray> rates, ConcurrentMap<String, AtomicLongArray> failures,
            AtomicLong servers) {
        this.rates = rates;
        this.failures = failures;
        this.servers = servers;
    }

    /** The board as the verifier hands it over: the same objects, typed by the JDK only. */
    public Map<String, Object> toWire() {
        return Map.of(RATES, rates, FAILURES, failures, SERVERS, servers);
    }

    /** The board {@link #toWire()} handed over, or {@code null} when {@code answer} is not one. */
    @SuppressWarnings("unchecked")
    public static CountBoard fromWire(Object answer) {
        if (answer instanceof Map<?, ?> map && map.get(RATES) instanceof ConcurrentMap<?, ?> rates
                && map.get(FAILURES) instanceof ConcurrentMap<?, ?> failures
                && map.get(SERVERS) instanceof AtomicLong servers) {
            return new CountBoard((ConcurrentMap<String, AtomicLongArray>) rates,
                    (ConcurrentMap<String, AtomicLongArray>) failures, servers);
        }
        return null;
    }

    public ConcurrentMap<String, AtomicLongArray> rates() {
        return rates;
    }

    public ConcurrentMap<String, AtomicLongArray> failures() {
        return failures;
    }

    /** How many servers share the limits, at least 1. */
    public long servers() {
        return Math.max(1, servers.get());
    }

    /** Sets how many servers are live now ({@code keygate.war}'s exchange, every tick). */
    public void servers(long live) {
        servers.set(Math.max(1, live));
    }

    /** Whether {@code other} wraps the same objects as this board. */
    public boolean sameAs(CountBoard other) {
        return other != null && other.rates == rates;
    }
}
