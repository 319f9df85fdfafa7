package io.keygate.it;

import static io.keygate.it.AdminClient.expect;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.keygate.it.AdminClient.IssuedToken;
import java.time.Duration;
import java.util.function.Supplier;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;

/**
 * Two Payara Micro servers clustered by Hazelcast on loopback, on one PostgreSQL schema: every row of
 * {@link ClusterRows}, then server 1 is killed ({@code kill -9}) and server 2 carries on alone.
 */
class HazelcastClusterIT extends ClusterRows {

    /** How long any one step on server 2 may take once server 1 is gone: a user would notice more. */
    static final Duration ALONE_STEP_BOUND = Duration.ofSeconds(10);

    @Override
    String setup() {
        return "postgresql+hazelcast";
    }

    @Override
    ScratchDatabase.Kind databaseKind() {
        return ScratchDatabase.Kind.POSTGRESQL;
    }

    @Override
    boolean clustered() {
        return true;
    }

    @Test
    @Order(100)
    void serverTwoCarriesOnWhenServerOneIsKilled() {
        IssuedToken existing = admin1.issue(slug, "Before the crash", null, null, "read");
        IssuedToken uncached = admin1.issue(slug, "Before the crash, never used", null, null, "read");
        expect(200, KeygateIT.getWithToken(whoami(2), existing.token()));

        servers.kill(1);
        int cached = timed("existing token on server 2", () -> status(2, existing));
        int fresh = timed("token never used on server 2", () -> status(2, uncached));
        IssuedToken created = timed("token created on server 2", () -> admin2.issue(slug, "After the crash", null,
                null, "read"));
        int createdStatus = timed("new token on server 2", () -> status(2, created));
        timed("revocation on server 2", () -> {
            admin2.revoke(existing);
            return null;
        });
        int revoked = timed("revoked token on server 2", () -> status(2, existing));
        print("kill -9 of server 1: existing=%d never-used=%d created-on-2=%d revoked-on-2=%d", cached, fresh,
                createdStatus, revoked);
        assertEquals(200, cached, "a token in use before the crash");
        assertEquals(200, fresh, "a token issued before the crash, first used after it");
        assertEquals(200, createdStatus, "a token created on server 2 after the crash");
        assertEquals(401, revoked, "revoked on server 2, the next request on server 2");
    }

    private <T> T timed(String step, Supplier<T> action) {
        long start = System.nanoTime();
        T result = action.get();
        long millis = Duration.ofNanos(System.nanoTime() - start).toMillis();
        print("kill -9 of server 1: %s took %d ms", step, millis);
        assertTrue(millis <= ALONE_STEP_BOUND.toMillis(), step + " took " + millis + " ms with server 1 gone");
        return result;
    }
}
