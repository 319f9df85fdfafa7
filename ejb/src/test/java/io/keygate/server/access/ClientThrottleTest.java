package io.keygate.server.access;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.keygate.limits.ThrottleSettings;
import io.keygate.transport.IpRange;
import java.time.Duration;
import java.util.OptionalLong;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/**
 * The token endpoints' throttle: one attacker locks out nobody else, guesses naming one client id are bounded
 * however many addresses send them, and a real client that keeps authenticating is never locked out by its client
 * id.
 */
class ClientThrottleTest {

    private final AtomicLong millis = new AtomicLong(1_767_225_600_000L); // epoch milliseconds
    private final ClientThrottle throttle = new ClientThrottle(new ThrottleSettings(3, Duration.ofSeconds(60)),
            new io.keygate.limits.CountBoard(), millis::get);

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

        millis.addAndGet(Duration.ofSeconds(61).toMillis());
        assertEquals(OptionalLong.empty(), throttle.retryAfter(client("192.0.2.99"), "victim"), "after the window");
    }

    @Test
    void realClientThatKeepsSucceedingStaysKnownPastTheDayOfItsFirstSuccess() {
        ClientAddress real = client("198.51.100.7");
        throttle.succeeded(real, "victim");
        for (int hour = 1; hour <= 25; hour++) {
            millis.addAndGet(Duration.ofHours(1).toMillis());
            for (int i = 0; i < 3; i++) {
                throttle.failed(client("192.0.2." + (10 + i)), "victim"); // the attacker keeps the id locked
            }
            assertTrue(throttle.retryAfter(client("192.0.2.99"), "victim").isPresent(), "hour " + hour);
            assertEquals(OptionalLong.empty(), throttle.retryAfter(real, "victim"),
                    "hour " + hour + ": the real client authenticated an hour ago");
            throttle.succeeded(real, "victim");
        }
    }

    @Test
    void successOlderThanADayNoLongerExemptsItsAddress() {
        ClientAddress real = client("198.51.100.7");
        throttle.succeeded(real, "victim");
        millis.addAndGet(ClientThrottle.KNOWN_FOR.plusSeconds(1).toMillis());
        for (int i = 0; i < 3; i++) {
            throttle.failed(client("192.0.2." + (10 + i)), "victim");
        }
        assertTrue(throttle.retryAfter(real, "victim").isPresent());
    }

    @Test
    void rememberedPairsAreBoundedAndAgeOut() {
        for (int i = 0; i < ClientThrottle.MAX_KNOWN; i++) {
            throttle.succeeded(client("10." + (i >> 16) + "." + ((i >> 8) & 255) + "." + (i & 255)), "id");
        }
        throttle.succeeded(client("198.51.100.7"), "victim");
        assertEquals(ClientThrottle.MAX_KNOWN, throttle.knownPairs(), "full: a new pair is not remembered");
        throttle.succeeded(client("10.0.0.1"), "id");
        assertEquals(ClientThrottle.MAX_KNOWN, throttle.knownPairs(), "a known pair is refreshed in place");

        millis.addAndGet(ClientThrottle.KNOWN_FOR.toMillis());
        throttle.succeeded(client("198.51.100.7"), "victim");
        assertEquals(1, throttle.knownPairs(), "the aged-out pairs made room");
        for (int i = 0; i < 3; i++) {
            throttle.failed(client("192.0.2." + (10 + i)), "victim");
        }
        assertEquals(OptionalLong.empty(), throttle.retryAfter(client("198.51.100.7"), "victim"));
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
