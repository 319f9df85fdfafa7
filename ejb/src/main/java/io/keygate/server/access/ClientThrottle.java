package io.keygate.server.access;

import io.keygate.limits.CountBoard;
import io.keygate.limits.CurrentBoard;
import io.keygate.limits.FailureThrottle;
import io.keygate.limits.ThrottleSettings;
import java.time.Duration;
import java.util.OptionalLong;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;

/**
 * The brute-force throttle of {@code keygate.war}'s token endpoints ({@code /oauth2/token}, {@code /oauth2/revoke})
 * and of its bearer endpoints ({@code BearerCaller}), with the thresholds of a protected WAR
 * ({@code keygate.throttle.max-failures} failures per {@code keygate.throttle.window-seconds}), keyed so that one
 * attacker locks out nobody but itself:
 *
 * <ul>
 * <li>per client address, derived through the trusted proxies ({@link ClientAddress}): behind a proxy, every client
 * has its own count, not the proxy's one;</li>
 * <li>per client id at the token endpoint (the {@code client_id}, or the password grant's username): this bounds
 * the guesses that name one client id, from however many addresses, and no more. It does not bound guessing
 * secrets: a secret is looked up by itself, the client id is the guesser's choice (the password grant answers a
 * valid secret under another username with {@code invalid_grant}), and every protected WAR checks a guessed secret
 * as a bearer token with per-address counts only. Against an attacker with many addresses, what protects a secret
 * is its 178 random bits. The client id's lock does not apply to an address from which that client id
 * authenticated within the last {@link #KNOWN_FOR}, counted from its latest success (OWASP's "device cookie" idea,
 * keyed by address), so an attacker who knows a client id cannot lock its real client out while it keeps
 * authenticating; from such an address guessing is still bounded by the address's own count.</li>
 * </ul>
 * Both count on the server's {@link CountBoard}, the addresses under the same keys as every protected WAR's filter:
 * failures at {@code keygate.war} and at any WAR of the server (or, through the exchange, of another server) add up
 * against one client address.
 *
 * <p>Memory is bounded as in the filter's {@link FailureThrottle}: at most {@value #MAX_KNOWN} (address, client id)
 * pairs are remembered; when every one of them succeeded within {@link #KNOWN_FOR}, a new pair is not remembered
 * (its client id's lock applies to it) until one ages out, while the pairs already known stay known.
 */
public final class ClientThrottle {

    /** How long a successful authentication exempts its address from its client id's lock. */
    static final Duration KNOWN_FOR = Duration.ofHours(24);
    static final int MAX_KNOWN = 100_000;

    private final FailureThrottle byAddress;
    private final FailureThrottle byClientId;
    private final LongSupplier clock;
    /** The latest success of each (address, client id) pair, on {@link #clock}. */
    private final ConcurrentHashMap<String, Long> lastSuccess = new ConcurrentHashMap<>();

    /** @param clock epoch milliseconds */
    public ClientThrottle(ThrottleSettings settings, CountBoard board, LongSupplier clock) {
        CurrentBoard current = new CurrentBoard(board);
        this.byAddress = new FailureThrottle(settings.maxFailures(), settings.window(), "", current, clock);
        this.byClientId = new FailureThrottle(settings.maxFailures(), settings.window(), "client-id ", current, clock);
        this.clock = clock;
    }

    /** Seconds this client address must wait before anything it sends is looked at, or empty. */
    public OptionalLong retryAfter(ClientAddress client) {
        return byAddress.retryAfter(client.key());
    }

    /** Seconds before {@code clientId} may be tried from this address, or empty (its address is checked too). */
    public OptionalLong retryAfter(ClientAddress client, String clientId) {
        OptionalLong address = retryAfter(client);
        if (address.isPresent() || clientId == null) {
            return address;
        }
        OptionalLong id = byClientId.retryAfter(clientId);
        return id.isPresent() && isKnown(pair(client, clientId)) ? OptionalLong.empty() : id;
    }

    /** Counts a failed authentication of this address, and of {@code clientId} when one was named. */
    public void failed(ClientAddress client, String clientId) {
        byAddress.failed(client.key());
        if (clientId != null) {
            byClientId.failed(clientId);
        }
    }

    /** Remembers that {@code clientId} authenticated from this address now (see the class comment). */
    public void succeeded(ClientAddress client, String clientId) {
        long now = clock.getAsLong();
        String pair = pair(client, clientId);
        if (!lastSuccess.containsKey(pair) && lastSuccess.size() >= MAX_KNOWN) {
            lastSuccess.values().removeIf(last -> !isRecent(last, now));
            if (lastSuccess.size() >= MAX_KNOWN) {
                return;
            }
        }
        lastSuccess.put(pair, now);
    }

    /** How many pairs are remembered. */
    int knownPairs() {
        return lastSuccess.size();
    }

    private boolean isKnown(String pair) {
        Long last = lastSuccess.get(pair);
        if (last == null) {
            return false;
        }
        if (isRecent(last, clock.getAsLong())) {
            return true;
        }
        lastSuccess.remove(pair, last); // an aged-out success is forgotten as soon as it is looked at
        return false;
    }

    private static boolean isRecent(long lastMillis, long nowMillis) {
        return nowMillis - lastMillis < KNOWN_FOR.toMillis();
    }

    private static String pair(ClientAddress client, String clientId) {
        return client.key() + ' ' + clientId;
    }
}
