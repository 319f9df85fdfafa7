package io.keygate.it;

import static io.keygate.it.AdminClient.expect;
import static io.keygate.it.KeygateIT.getWithToken;
import static io.keygate.it.KeygateIT.object;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.keygate.it.AdminClient.IssuedToken;
import jakarta.json.Json;
import jakarta.json.JsonObject;
import jakarta.json.JsonValue;
import java.net.URI;
import java.time.Duration;
import java.util.function.IntSupplier;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Two servers sharing one database behave as one ({@link TwoServers}): what an admin does through server 1 holds
 * on server 2 within a second, usage is counted once, and a token's rate limit is the token's, not each server's.
 * Every row prints its figures in a line starting {@code CLUSTER <setup>}. One pair of servers for all rows; a
 * subclass says how they are joined.
 */
@ExtendWith(TwoServers.Configured.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
abstract class ClusterRows {

    /** How long any one step on server 2 may take once server 1 is gone: a user would notice more. */
    static final Duration ALONE_STEP_BOUND = Duration.ofSeconds(10);

    static final int TRIALS = 20;
    /** How late a change on server 1 may be seen on server 2, in 99 trials of 100. */
    static final Duration P99_BOUND = Duration.ofSeconds(1);
    /** How late it may be seen at all: a trial that takes longer fails the row at once. */
    static final Duration TRIAL_BOUND = Duration.ofSeconds(5);
    /** How long the listing may take to show every use: counts are written every 2 s on each server. */
    static final Duration USAGE_BOUND = Duration.ofSeconds(10);
    static final int RATE_LIMIT = 20;

    TwoServers servers;
    AdminClient admin1;
    AdminClient admin2;
    String slug;
    private ScratchDatabase database;

    /** The setup's name in the printed figures, e.g. {@code postgresql+hazelcast}. */
    abstract String setup();

    abstract ScratchDatabase.Kind databaseKind();

    /** Whether the servers form a Hazelcast cluster (otherwise each runs with {@code --nocluster}). */
    abstract boolean clustered();

    @BeforeAll
    void startTwoServers() {
        long start = System.nanoTime();
        database = ScratchDatabase.create(databaseKind(), "cluster");
        try {
            servers = TwoServers.start("cluster-" + databaseKind().name().toLowerCase(), database, clustered());
        } catch (RuntimeException | AssertionError e) {
            database.close();
            throw e;
        }
        admin1 = servers.admin(1);
        admin2 = servers.admin(2);
        slug = KeygateIT.uniqueSlug("cluster");
        admin1.createTenant(slug, "Two servers");
        print("started in %d ms (database %s)", Duration.ofNanos(System.nanoTime() - start).toMillis(),
                database.name());
    }

    @AfterAll
    void stopTwoServers() {
        if (servers != null) {
            servers.close();
        }
        if (database != null) {
            database.close();
        }
    }

    URI whoami(int server) {
        return servers.sample(server, "/api/whoami");
    }

    int status(int server, IssuedToken token) {
        return getWithToken(whoami(server), token.token()).statusCode();
    }

    void print(String format, Object... arguments) {
        System.out.println("CLUSTER " + setup() + " " + String.format(format, arguments));
    }

    @Test
    @Order(1)
    void tokenCreatedOnServerOneWorksOnServerTwo() {
        IssuedToken token = admin1.issue(slug, "Created on 1", "alice", null, "read");
        JsonObject me = object(expect(200, getWithToken(whoami(2), token.token())));
        print("token created on server 1, used on server 2: 200 principal=%s", me.getString("principal"));
        assertEquals(token.id(), me.getString("tokenId"));
    }

    @Test
    @Order(2)
    void revocationOnServerOneReachesServerTwoWithinASecond() {
        Delays delays = new Delays();
        for (int trial = 1; trial <= TRIALS; trial++) {
            IssuedToken token = admin1.issue(slug, "Revoked " + trial, null, null, "read");
            expect(200, getWithToken(whoami(2), token.token()));
            admin1.revoke(token);
            measure("revocation", trial, delays, 401, () -> status(2, token));
        }
        print("revocation %s", delays.summary());
        assertTrue(delays.percentile(99) <= P99_BOUND.toMillis(), "revocation p99 " + delays.summary());
    }

    @Test
    @Order(3)
    void tenantSwitchedOffOnServerOneIsOffOnServerTwoWithinASecond() {
        String tenant = KeygateIT.uniqueSlug("switch");
        admin1.createTenant(tenant, "Switched");
        IssuedToken token = admin1.issue(tenant, "Tenant token", null, null, "read");
        Delays off = new Delays();
        Delays on = new Delays();
        for (int trial = 1; trial <= TRIALS; trial++) {
            if (trial > 1) {
                admin1.patchTenant(tenant, Json.createObjectBuilder().add("apiAccessEnabled", true).build());
                measure("tenant switch-on", trial, on, 200, () -> status(2, token));
            } else {
                expect(200, getWithToken(whoami(2), token.token()));
            }
            admin1.patchTenant(tenant, Json.createObjectBuilder().add("apiAccessEnabled", false).build());
            measure("tenant switch-off", trial, off, 401, () -> status(2, token));
        }
        print("tenant switch-off %s", off.summary());
        print("tenant switch-on %s", on.summary());
        assertTrue(off.percentile(99) <= P99_BOUND.toMillis(), "tenant switch-off p99 " + off.summary());
    }

    @Test
    @Order(4)
    void usesOnBothServersAreCountedExactlyOnce() {
        String tenant = KeygateIT.uniqueSlug("usage");
        admin1.createTenant(tenant, "Counted");
        IssuedToken token = admin1.issue(tenant, "Counted on both", null, null, "read");
        for (int i = 0; i < 30; i++) {
            expect(200, getWithToken(whoami(1), token.token()));
            expect(200, getWithToken(whoami(2), token.token()));
        }
        long start = System.nanoTime();
        long deadline = start + USAGE_BOUND.toNanos();
        long usage;
        do {
            usage = listedUsage(admin1, tenant, token);
        } while (usage < 60 && System.nanoTime() < deadline && pause(200));
        long took = Duration.ofNanos(System.nanoTime() - start).toMillis();
        pause(2500); // one more write period on each server: a count written twice would show now
        long later1 = listedUsage(admin1, tenant, token);
        long later2 = listedUsage(admin2, tenant, token);
        print("usage 30+30 requests: usageCount=%d after %d ms, then %d (server 1 listing) %d (server 2 listing)",
                usage, took, later1, later2);
        assertEquals(60, usage, "usageCount within " + USAGE_BOUND);
        assertEquals(60, later1, "usageCount on server 1, 2.5 s later");
        assertEquals(60, later2, "usageCount on server 2, 2.5 s later");
    }

    @Test
    @Order(5)
    void rateLimitHoldsForTheTokenAcrossBothServers() {
        JsonObject body = Json.createObjectBuilder().add("name", "Limited").add("scopes", Json.createArrayBuilder()
                .add("read")).add("rateLimit", Json.createObjectBuilder().add("requests", RATE_LIMIT)
                .add("windowSeconds", 60)).build();
        JsonObject created = object(expect(201, admin1.call("POST", "tenants/" + slug + "/tokens",
                body.toString())));
        IssuedToken token = new IssuedToken(slug, created.getString("id"), created.getString("token"), created);
        // Windows are aligned to the epoch: keep the 40 requests inside one minute.
        long left = 60_000 - System.currentTimeMillis() % 60_000;
        if (left < 10_000) {
            pause(left + 200);
        }
        int admitted = 0;
        int refused = 0;
        StringBuilder others = new StringBuilder();
        for (int i = 0; i < 2 * RATE_LIMIT; i++) {
            int status = status(1 + i % 2, token);
            if (status == 200) {
                admitted++;
            } else if (status == 429) {
                refused++;
            } else {
                others.append(' ').append(status);
            }
        }
        print("rate limit %d/60s, 40 requests alternating: admitted=%d refused=%d others=[%s]", RATE_LIMIT, admitted,
                refused, others.toString().strip());
        assertEquals("", others.toString(), "only 200 and 429");
        // Two servers may overshoot by one request, never more. Below: a burst faster than the confirmations
        // between them could end a little under the limit (each spends only its share of what the other has not
        // confirmed); 20 or 21 in every run measured, 10 % allowed.
        assertTrue(admitted >= RATE_LIMIT - RATE_LIMIT / 10 && admitted <= RATE_LIMIT + 1,
                "admitted " + admitted + " of 40 with a limit of " + RATE_LIMIT + " for the token");
    }

    /**
     * Polls server 2 as fast as it answers until it says {@code expected}, adding the time from now (just after
     * the admin call on server 1 answered) to that answer; fails the row when it takes more than
     * {@link #TRIAL_BOUND}.
     */
    void measure(String row, int trial, Delays delays, int expected, IntSupplier status) {
        long start = System.nanoTime();
        long deadline = start + TRIAL_BOUND.toNanos();
        int last;
        do {
            last = status.getAsInt();
            if (last == expected) {
                delays.add(System.nanoTime() - start);
                return;
            }
        } while (System.nanoTime() < deadline);
        print("%s trial %d: server 2 still answered %d %d ms after server 1 answered (so far: %s)", row, trial,
                last, TRIAL_BOUND.toMillis(), delays.summary());
        fail(row + " trial " + trial + ": server 2 answered " + last + ", not " + expected + ", " + TRIAL_BOUND
                + " after the change on server 1");
    }

    static long listedUsage(AdminClient admin, String tenant, IssuedToken token) {
        for (JsonValue listed : admin.tokens(tenant)) {
            JsonObject object = listed.asJsonObject();
            if (object.getString("id").equals(token.id())) {
                return object.getJsonNumber("usageCount").longValue();
            }
        }
        throw new AssertionError(token.id() + " not listed in " + tenant);
    }

    static boolean pause(long millis) {
        try {
            Thread.sleep(millis);
            return true;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
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
