package io.keygate.server.health;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.keygate.server.store.Database;
import io.keygate.server.store.StoreSettings;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class StoreReadinessTest {

    private final AtomicLong now = new AtomicLong(1_000_000_000L);
    private final AtomicInteger asked = new AtomicInteger();
    private volatile boolean down;
    private final Database database = new Database(StoreSettings.from(key -> StoreSettings.DB_URL.equals(key)
            ? Optional.of("jdbc:h2:mem:readiness" + System.nanoTime() + ";DB_CLOSE_DELAY=-1") : Optional.empty())) {
        @Override
        public void ping(Duration timeout) {
            asked.incrementAndGet();
            if (down) {
                throw new IllegalStateException("the database does not answer");
            }
            super.ping(timeout);
        }
    };
    private final StoreReadiness readiness = new StoreReadiness(database, now::get);

    @AfterEach
    void close() {
        database.close();
    }

    @Test
    void upWhileTheStoreAnswersDownWhileItDoesNotAndUpAgainWithoutARestart() {
        assertStatus(HealthCheckResponse.Status.UP);
        down = true;
        later(StoreReadiness.MAX_AGE);
        HealthCheckResponse response = readiness.call();
        assertEquals(HealthCheckResponse.Status.DOWN, response.getStatus());
        assertEquals("keygate-store", response.getName());
        down = false;
        later(StoreReadiness.MAX_AGE);
        assertStatus(HealthCheckResponse.Status.UP);
    }

    @Test
    void theStoreIsAskedAtMostOncePerMaxAgeHoweverOftenTheCheckIsPolled() {
        for (int i = 0; i < 100; i++) {
            readiness.call();
            later(StoreReadiness.MAX_AGE.dividedBy(10));
        }
        assertEquals(10, asked.get(), "100 polls in 10 x MAX_AGE");
    }

    @Test
    void anAnswerNoOlderThanMaxAgeIsKeptEvenWhenTheStoreWentDownMeanwhile() {
        assertStatus(HealthCheckResponse.Status.UP);
        down = true;
        later(StoreReadiness.MAX_AGE.minusMillis(1));
        assertStatus(HealthCheckResponse.Status.UP);
        later(Duration.ofMillis(1));
        assertStatus(HealthCheckResponse.Status.DOWN);
    }

    private void assertStatus(HealthCheckResponse.Status expected) {
        HealthCheckResponse response = readiness.call();
        assertEquals(expected, response.getStatus(), () -> String.valueOf(response.getData()));
    }

    private void later(Duration duration) {
        now.addAndGet(duration.toNanos());
    }
}
