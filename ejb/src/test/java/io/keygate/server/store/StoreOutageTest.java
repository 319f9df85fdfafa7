package io.keygate.server.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.keygate.server.usage.UsageCounter;
import io.keygate.token.TokenHash;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

/**
 * The store while its PostgreSQL server is away and after it is back, through the real driver and provider, with
 * one {@link Database} all along, as {@code keygate.war} keeps it. The database "restarts" behind a
 * {@link DatabaseProxy}, which drops every connection and refuses new ones, as a stopped server does, without
 * stopping the server other tests use.
 *
 * <p>While it is away every store call fails fast with {@link StoreUnavailableException} (the 503 of the admin API
 * and, through the verifier, of every protected WAR). EclipseLink's default was to retry a broken read three times,
 * the last two after five seconds each ({@link FailFastSessionCustomizer}), which held each such request for 10 s.
 * When the database is back, the same {@link Database} works at once, and usage counted meanwhile is written. The
 * outage is logged once when it begins and once when it ends, not per call.
 */
class StoreOutageTest {

    /** What a 503 may cost at most; with EclipseLink's default retries it was 10 s and more. */
    private static final Duration FAIL_FAST = Duration.ofSeconds(2);

    private Scratch scratch;
    private DatabaseProxy proxy;
    private Database db;
    private TokenStore tokens;
    private Logged logged;

    @BeforeEach
    void open() {
        scratch = TestDatabase.POSTGRESQL.createScratch();
        proxy = new DatabaseProxy("127.0.0.1", 5432);
        String url = scratch.url().replace("127.0.0.1:5432", "127.0.0.1:" + proxy.port());
        db = new Database(StoreSettings.from(key -> Optional.ofNullable(Map.of(
                StoreSettings.DB_URL, url, StoreSettings.DB_USER, TestDatabase.POSTGRESQL.user).get(key))));
        db.connect();
        Clock clock = Clock.tickMillis(ZoneOffset.UTC);
        new TenantStore(db, clock).create("acme", "Acme Inc", null);
        tokens = new TokenStore(db, clock);
    }

    @AfterEach
    void close() {
        if (logged != null) {
            logged.close();
        }
        if (db != null) {
            db.close();
        }
        if (proxy != null) {
            proxy.close();
        }
        if (scratch != null) {
            scratch.close();
        }
    }

    @Test
    void whileTheDatabaseIsDownEveryCallFailsFastAndAfterwardsTheSameStoreWorksAgain() {
        logged = new Logged();
        TokenStore.IssuedToken issued = tokens.issue("acme",
                new TokenDetails("ci", null, Set.of("read"), null)).orElseThrow();
        String hash = TokenHash.of(issued.plaintext());
        String id = issued.token().getId();
        UsageCounter usage = new UsageCounter();
        usage.record(id, Instant.now());
        usage.record(id, Instant.now());

        proxy.cut();

        failsFast("a verdict", () -> tokens.verify(hash));
        failsFast("a listing", () -> tokens.list("acme", 10, null));
        failsFast("a revocation", () -> tokens.revoke("acme", id));
        long start = System.nanoTime();
        assertFalse(usage.flushTo(new UsageWrites(db)::add), "the usage write cannot succeed while the database is down");
        assertTrue(Duration.ofNanos(System.nanoTime() - start).compareTo(FAIL_FAST) < 0, "the usage write fails fast");
        usage.record(id, Instant.now());
        assertEquals(3, usage.pending(id).orElseThrow().count(), "no count is dropped by a failed write");

        for (int i = 0; i < 20; i++) {
            assertThrows(StoreUnavailableException.class, () -> tokens.verify(hash));
        }
        List<String> outage = logged.atLeast(Level.WARNING);
        assertEquals(1, outage.size(), "an outage is logged once, not once per call (nor by EclipseLink): " + outage);
        assertTrue(outage.get(0).startsWith(StoreOutage.class.getName() + ": Keygate cannot reach its token store"),
                outage.get(0));

        proxy.restore();

        assertInstanceOf(Verification.Valid.class, tokens.verify(hash),
                "the first verdict after the database is back comes from it, with no restart of the store");
        assertTrue(usage.flushTo(new UsageWrites(db)::add), "the kept counts are written once the database is back");
        assertEquals(3, tokens.find("acme", id).orElseThrow().getUsageCount());
        assertTrue(usage.pending(id).isEmpty());
        List<String> end = logged.atLeast(Level.INFO).stream()
                .filter(line -> line.contains("Keygate reaches its token store")).toList();
        assertEquals(1, end.size(), "the end of the outage is logged once: " + end);
        assertTrue(end.get(0).contains("24 store calls failed meanwhile"), end.get(0));
    }

    /** The readiness check's question: DOWN at once while the database is away, UP again once it is back. */
    @Test
    void theReadinessQuestionFailsFastWhileTheDatabaseIsDownAndIsAnsweredOnceItIsBack() {
        db.ping(Duration.ofSeconds(2));
        proxy.cut();
        failsFast("the readiness question", () -> db.ping(Duration.ofSeconds(2)));
        proxy.restore();
        db.ping(Duration.ofSeconds(2));
        proxy.cut();
        proxy.restore();
        db.ping(Duration.ofSeconds(2)); // a pooled connection that died with the database is replaced
    }

    /** The one immediate retry that is left: without it, the first call after a restart would fail with 503. */
    @Test
    void aDatabaseRestartedWhileTheStoreWasIdleIsReconnectedOnTheFirstCall() throws Exception {
        String hash = TokenHash.of(tokens.issue("acme", new TokenDetails("ci", null, Set.of("read"), null))
                .orElseThrow().plaintext());
        // Concurrent reads leave several connections in the pool, all of which die with the database.
        ExecutorService threads = Executors.newFixedThreadPool(4);
        try {
            Callable<Verification> verify = () -> tokens.verify(hash);
            for (Future<Verification> read : threads.invokeAll(Collections.nCopies(16, verify))) {
                assertInstanceOf(Verification.Valid.class, read.get());
            }
        } finally {
            threads.shutdown();
        }

        proxy.cut();
        proxy.restore();

        assertInstanceOf(Verification.Valid.class, tokens.verify(hash),
                "a pooled connection that died with the database is replaced without failing the call");
        assertInstanceOf(Verification.Valid.class, tokens.verify(hash));
    }

    /** What the store and EclipseLink log from now on, as {@code logger: message} lines. */
    private static final class Logged extends Handler implements AutoCloseable {

        private final List<Logger> loggers = List.of(Logger.getLogger(StoreOutage.class.getName()),
                Logger.getLogger("org.eclipse.persistence"));
        private final List<LogRecord> records = new CopyOnWriteArrayList<>();

        Logged() {
            loggers.forEach(logger -> logger.addHandler(this));
        }

        List<String> atLeast(Level level) {
            return records.stream().filter(r -> r.getLevel().intValue() >= level.intValue())
                    .map(r -> r.getLoggerName() + ": " + r.getMessage()).toList();
        }

        @Override
        public void publish(LogRecord record) {
            records.add(record);
        }

        @Override
        public void flush() {
        }

        @Override
        public void close() {
            loggers.forEach(logger -> logger.removeHandler(this));
        }
    }

    private static void failsFast(String what, Executable call) {
        long start = System.nanoTime();
        assertThrows(StoreUnavailableException.class, call, what + " while the database is down");
        Duration took = Duration.ofNanos(System.nanoTime() - start);
        assertTrue(took.compareTo(FAIL_FAST) < 0, what + " took " + took.toMillis() + " ms to fail; at most "
                + FAIL_FAST.toMillis() + " ms is expected, so that a 503 is not held up");
    }
}
