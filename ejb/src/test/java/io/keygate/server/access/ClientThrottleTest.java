package io.keygate.server.access;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.keygate.filter.IpRange;
import io.keygate.filter.ThrottleSettings;
import java.time.Duration;
import java.util.OptionalLong;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/**
 * The token endpoints' throttle: one attacker locks out nobody else, and guessing one client id's secret is bounded
 * however many addresses guess.
 */
class ClientThrottleTest {

    private final AtomicLong nanos = new AtomicLong(1_000_000_000L);
    private final ClientThrottle throttle = new ClientThrottle(new ThrottleSettings(3, Duration.ofSeconds(60)),
            nanos::get);

    private static ClientAddress client(String address) {
        return new ClientAddress(IpRange.parseAddress(address));
    }

    @Test
    void addressThatFailedTooOftenThenLockedAndOthersNot() {
        for (int i = 0; i < 3; i++) {
            throttle.failed(client("192.0.2.1"), "id-" + i);
        }
        assertTrue(throttle.retryAfter(client("192.0.2.1")).isPresent());
        assertEquals(OptionalLong.empty(), throttle.retryAfter(client("192.0.2.2")));
        assertEquals(OptionalLong.empty(), throttle.retryAfter(client("192.0.2.2"), "id-0"));
    }

    @Test
    void clientIdGuessedFromManyAddressesThenLockedForNewAddressesOnly() {
        throttle.succeeded(client("198.51.100.7"), "victim");
        for (int i = 0; i < 3; i++) {
            throttle.failed(client("192.0.2." + (10 + i)), "victim");
        }

        assertTrue(throttle.retryAfter(client("192.0.2.99"), "victim").isPresent(), "guessing is bounded");
        assertEquals(OptionalLong.empty(), throttle.retryAfter(client("192.0.2.99"), "other"), "other clients");
        assertEquals(OptionalLong.empty(), throttle.retryAfter(client("198.51.100.7"), "victim"),
                "the real client, known from its address, is not locked out");

        nanos.addAndGet(Duration.ofSeconds(61).toNanos());
        assertEquals(OptionalLong.empty(), throttle.retryAfter(client("192.0.2.99"), "victim"), "after the window");
    }

    @Test
    void knownAddressThatFailsTooOftenThenLockedByItsOwnCount() {
        throttle.succeeded(client("198.51.100.7"), "victim");
        for (int i = 0; i < 3; i++) {
            throttle.failed(client("198.51.100.7"), "victim");
        }
        assertTrue(throttle.retryAfter(client("198.51.100.7"), "victim").isPresent());
    }

    @Test
    void unknownClientsShareOneKey() {
        ClientAddress unknown = new ClientAddress(java.util.Optional.empty());
        for (int i = 0; i < 3; i++) {
            throttle.failed(unknown, null);
        }
        assertTrue(throttle.retryAfter(new ClientAddress(java.util.Optional.empty())).isPresent());
    }
}
