package io.keygate.server.access;

import io.keygate.filter.FailureThrottle;
import io.keygate.filter.ThrottleSettings;
import io.keygate.filter.WindowCounters;
import java.time.Duration;
import java.util.OptionalLong;
import java.util.function.LongSupplier;

/**
 * The brute-force throttle of {@code keygate.war}'s token endpoints ({@code /oauth2/token}, {@code /oauth2/revoke}),
 * with the thresholds of a protected WAR ({@code keygate.throttle.max-failures} failures per
 * {@code keygate.throttle.window-seconds}), keyed so that one attacker locks out nobody but itself:
 *
 * <ul>
 * <li>per client address, derived through the trusted proxies ({@link ClientAddress}): behind a proxy, every client
 * has its own count, not the proxy's one;</li>
 * <li>per client id (the secret's token id, or the password grant's username): guessing the secret of one client
 * from many addresses is bounded too. Its lock does not apply to an address from which that client id authenticated
 * within the last {@link #KNOWN_FOR} (OWASP's "device cookie" idea, keyed by address), so an attacker who knows a
 * client id cannot lock its real client out; from such an address guessing is still bounded by the address's own
 * count.</li>
 * </ul>
 * Memory is bounded as in the filter's {@link FailureThrottle}.
 */
public final class ClientThrottle {

    /** How long a successful authentication exempts its address from its client id's lock. */
    static final Duration KNOWN_FOR = Duration.ofHours(24);
    private static final int MAX_KNOWN = 100_000;

    private final FailureThrottle byAddress;
    private final FailureThrottle byClientId;
    private final WindowCounters known;

    public ClientThrottle(ThrottleSettings settings, LongSupplier nanoClock) {
        this.byAddress = new FailureThrottle(settings.maxFailures(), settings.window(), nanoClock);
        this.byClientId = new FailureThrottle(settings.maxFailures(), settings.window(), nanoClock);
        this.known = new WindowCounters(KNOWN_FOR.toNanos(), MAX_KNOWN, nanoClock);
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
        return id.isPresent() && known.peek(pair(client, clientId)).value() > 0 ? OptionalLong.empty() : id;
    }

    /** Counts a failed authentication of this address, and of {@code clientId} when one was named. */
    public void failed(ClientAddress client, String clientId) {
        byAddress.failed(client.key());
        if (clientId != null) {
            byClientId.failed(clientId);
        }
    }

    /** Remembers that {@code clientId} authenticated from this address (see the class comment). */
    public void succeeded(ClientAddress client, String clientId) {
        known.add(pair(client, clientId));
    }

    private static String pair(ClientAddress client, String clientId) {
        return client.key() + ' ' + clientId;
    }
}
