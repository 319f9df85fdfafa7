package io.keygate.it;

import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import jakarta.json.JsonObject;
import java.net.URI;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The server's MicroProfile Health probes through an outage of the token store (README, "Operations"):
 * {@code /health/ready} is UP (200) with the check {@code keygate-store} UP while PostgreSQL answers, DOWN (503)
 * with that check DOWN while it is stopped, and UP again once it is back, without a restart; {@code /health/live}
 * is UP (200) with the check {@code keygate} UP throughout, since a restart would not bring the database back.
 * On the Payara Micro of {@link KeygateOnPostgres}, which offers MicroProfile Health.
 */
@ExtendWith({KeygateOnPostgres.Configured.class, PostgresStoreIT.PostgresReachable.class,
        StoreOutageIT.ClusterControl.class, KeygateOnPostgres.Resolver.class})
class StoreHealthIT {

    /** The readiness check asks the store at most once a second; the answer may be that old, plus a query. */
    static final Duration NOTICED_WITHIN = Duration.ofSeconds(10);

    @Test
    void readinessFollowsTheStoreAndLivenessStaysUp(KeygateOnPostgres server) throws Exception {
        URI ready = server.root("/health/ready");
        URI live = server.root("/health/live");
        assertProbe(ready, 200, "UP", "keygate-store", "UP", "before the outage");
        assertProbe(live, 200, "UP", "keygate", "UP", "before the outage");

        long[] noticed = new long[1];
        PostgresCluster.stopped(() -> {
            long stopped = System.nanoTime();
            awaitStatus(ready, 503);
            noticed[0] = System.nanoTime() - stopped;
            assertProbe(ready, 503, "DOWN", "keygate-store", "DOWN", "while PostgreSQL is stopped");
            assertProbe(live, 200, "UP", "keygate", "UP", "while PostgreSQL is stopped");
        });
        long back = System.nanoTime();
        awaitStatus(ready, 200);
        long recovered = System.nanoTime() - back;
        System.out.printf("StoreHealthIT: /health/ready DOWN %d ms after PostgreSQL stopped, UP %d ms after it was"
                + " back%n", Duration.ofNanos(noticed[0]).toMillis(), Duration.ofNanos(recovered).toMillis());

        assertProbe(ready, 200, "UP", "keygate-store", "UP", "once PostgreSQL is back, without a restart");
        assertProbe(live, 200, "UP", "keygate", "UP", "once PostgreSQL is back");
    }

    /** Polls {@code probe} until it answers {@code status}, failing after {@link #NOTICED_WITHIN}. */
    private static void awaitStatus(URI probe, int status) throws InterruptedException {
        long deadline = System.nanoTime() + NOTICED_WITHIN.toNanos();
        HttpResponse<String> last;
        do {
            last = KeygateIT.get(probe);
            if (last.statusCode() == status) {
                return;
            }
            Thread.sleep(100);
        } while (System.nanoTime() < deadline);
        throw new AssertionError(probe + " still answers " + last.statusCode() + " " + last.body() + " after "
                + NOTICED_WITHIN + "; expected " + status);
    }

    private static void assertProbe(URI probe, int status, String overall, String check, String checkStatus,
            String when) {
        HttpResponse<String> response = KeygateIT.get(probe);
        JsonObject body = KeygateIT.object(response);
        Optional<JsonObject> named = body.getJsonArray("checks").getValuesAs(JsonObject.class).stream()
                .filter(c -> check.equals(c.getString("name"))).findFirst();
        assertAll(probe.getPath() + " " + when + ": " + response.body(),
                () -> assertEquals(status, response.statusCode(), "status"),
                () -> assertEquals(overall, body.getString("status"), "overall status"),
                () -> assertTrue(named.isPresent(), "the check " + check + " is listed"),
                () -> assertEquals(checkStatus, named.map(c -> c.getString("status")).orElse(null),
                        "the check " + check));
    }
}
