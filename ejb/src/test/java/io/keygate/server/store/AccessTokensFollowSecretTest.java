package io.keygate.server.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.keygate.protocol.VerifierProtocol;
import io.keygate.server.stats.StoreStatements;
import io.keygate.server.usage.UsageCounter;
import io.keygate.server.verify.ChangeLog;
import io.keygate.server.verify.VerifierFunctions;
import io.keygate.token.TokenFormat;
import io.keygate.token.TokenHash;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * "Access tokens follow their secret" (README, Security) in the store, on H2, PostgreSQL and MariaDB (one subclass each): an
 * access token is never worth more than its secret is now, whatever happened to the secret after the exchange and
 * however an exchange and a revocation interleave; ending a secret costs the same few statements and one change
 * whatever the number of its access tokens.
 */
abstract class AccessTokensFollowSecretTest {

    private static final SecureRandom RANDOM = new SecureRandom();

    private final StoreTest.MutableClock clock = new StoreTest.MutableClock(Instant.parse("2026-01-01T00:00:00Z"));
    private Scratch scratch;
    private Database db;
    private TokenStore tokens;
    private AccessTokens accessTokens;
    private TokenStore.IssuedToken secret;

    /** The database the subclass runs the tests on. */
    abstract TestDatabase database();

    @BeforeEach
    void open() {
        scratch = database().createScratch();
        db = new Database(scratch.settings());
        db.connect();
        new TenantStore(db, clock).create("acme", "Acme Inc", null);
        tokens = new TokenStore(db, clock);
        accessTokens = new AccessTokens(db, clock);
        secret = tokens.issue("acme", new TokenDetails("ci", "alice", Set.of("read", "write"),
                clock.instant().plus(Duration.ofDays(1)))).orElseThrow();
    }

    @AfterEach
    void close() {
        if (db != null) {
            db.close();
        }
        if (scratch != null) {
            scratch.close();
        }
    }

    // ---- what an access token may do is what its secret allows now

    @Test
    void narrowingTheSecretsScopesNarrowsItsLiveAccessTokenAtTheNextVerification() {
        String access = exchange(Set.of("read", "write"));

        tokens.update("acme", secretId(), new TokenChanges(null, Set.of("read"), null));

        assertEquals(Set.of("read"), valid(access).scopes(), "write is gone, read (which write implied) stays");
        tokens.update("acme", secretId(), new TokenChanges(null, Set.of("read", "write", "reports:read"), null));
        assertEquals(Set.of("read", "write"), valid(access).scopes(), "widening the secret gives back no more than"
                + " the access token was issued with");
        tokens.update("acme", secretId(), new TokenChanges(null, Set.of("reports:read"), null));
        assertEquals(Set.of(), valid(access).scopes(), "nothing the secret still allows");
    }

    @Test
    void changingTheSecretsLimitsAppliesToItsLiveAccessToken() {
        String access = exchange(Set.of("read"));
        TokenLimits limits = new TokenLimits(new TokenLimits.Rate(5, 60), List.of("10.0.0.0/8"));

        tokens.update("acme", secretId(), new TokenChanges(null, null, limits));

        assertEquals(limits, valid(access).limits());
        tokens.update("acme", secretId(), new TokenChanges(null, null, TokenLimits.NONE));
        assertEquals(TokenLimits.NONE, valid(access).limits());
    }

    @Test
    void adminAndIntrospectAreNeverAnAccessTokensEvenWhenItsSecretHasThem() {
        TokenStore.IssuedToken powerful = tokens.issue("acme", new TokenDetails("ops", null,
                Set.of("read", "admin", "introspect"), null)).orElseThrow();
        String access = accessTokens.issueAccessToken(powerful.token().getId(), Set.of("read", "admin", "introspect"),
                Duration.ofHours(1)).orElseThrow().plaintext();

        assertEquals(Set.of("read"), valid(access).scopes());
    }

    @Test
    void rotatingTheSecretWithoutGraceEndsItsAccessTokensAtOnceAndTheListingSaysSo() {
        String access = exchange(Set.of("read"));

        tokens.rotate("acme", secretId(), Duration.ZERO, null).orElseThrow();

        assertInstanceOf(Verification.Expired.class, tokens.verify(TokenHash.of(access)));
        assertEquals(TokenStatus.EXPIRED, listedStatus(access));
    }

    @Test
    void rotatingTheSecretWithAGraceEndsItsAccessTokensWhenTheGraceEnds() {
        String access = exchange(Set.of("read"));

        tokens.rotate("acme", secretId(), Duration.ofMinutes(1), null).orElseThrow();

        assertEquals(clock.instant().plus(Duration.ofMinutes(1)), valid(access).expiresAt(), "the earlier expiry");
        clock.advance(Duration.ofMinutes(1));
        assertInstanceOf(Verification.Expired.class, tokens.verify(TokenHash.of(access)));
    }

    @Test
    void revokingTheSecretEndsItsAccessTokensAndTheListingSaysSo() {
        String access = exchange(Set.of("read"));

        tokens.revoke("acme", secretId()).orElseThrow();

        assertInstanceOf(Verification.Invalid.class, tokens.verify(TokenHash.of(access)));
        assertEquals(TokenStatus.REVOKED, listedStatus(access));
        assertEquals(Optional.empty(), accessTokens.issueAccessToken(secretId(), Set.of("read"), Duration.ofHours(1)));
    }

    @Test
    void anAccessTokenIsNeitherRotatedNorChangedItFollowsItsSecret() {
        String access = exchange(Set.of("read", "write"));
        String id = valid(access).token().getId();

        ConflictException rotation = assertThrows(ConflictException.class,
                () -> tokens.rotate("acme", id, Duration.ZERO, null));
        assertTrue(rotation.getMessage().contains(secretId()), rotation.getMessage());
        ConflictException change = assertThrows(ConflictException.class,
                () -> tokens.update("acme", id, new TokenChanges(null, Set.of("read"), null)));
        assertTrue(change.getMessage().contains("follows the secret"), change.getMessage());
        assertEquals(1, accessTokens.listIssuedBy(secretId(), 10, null).items().size(), "no successor was made");
        assertEquals(Set.of("read", "write"), valid(access).scopes());
    }

    // ---- an exchange racing a revocation never yields a token that outlives it

    /**
     * The interleaving the exchange used to lose: it has read the secret as active and not yet written its access
     * token when the revocation runs. The exchange is held there, the revocation is started and allowed to get as
     * far as it can (to its commit, or to waiting for the exchange's lock on the secret), then the exchange goes on.
     */
    @Test
    void anExchangeThatReadTheSecretBeforeItsRevocationYieldsNoLiveToken() throws Exception {
        try (Interleaving race = new Interleaving(db)) {
            Future<Optional<TokenStore.IssuedToken>> exchange = race.runHeld("exchange", false,
                    () -> accessTokens.issueAccessToken(secretId(), Set.of("read"), Duration.ofHours(1)));

            Future<Optional<TokenStore.Revocation>> revocation = race.run("revocation",
                    () -> tokens.revoke("acme", secretId()));
            boolean revocationWaited = race.awaitDoneOrWaitingForALock(revocation, scratch);
            race.release("exchange");

            Optional<TokenStore.IssuedToken> issued = exchange.get(20, TimeUnit.SECONDS);
            assertEquals(TokenStatus.REVOKED, revocation.get(20, TimeUnit.SECONDS).orElseThrow().token()
                    .statusAt(clock.instant()), "revoking always succeeds");
            issued.ifPresent(late -> assertInstanceOf(Verification.Invalid.class,
                    tokens.verify(TokenHash.of(late.plaintext())), "a token issued in the race dies with the secret"));
            assertTrue(revocationWaited, "the revocation waited for the exchange holding the secret's row lock");
            assertTrue(issued.isPresent(), "the exchange committed first, so it issued");
            assertEquals(TokenStatus.REVOKED, listedStatus(issued.get().plaintext()));
        }
    }

    /** The other order: the revocation has written and not committed when the exchange reads the secret. */
    @Test
    void anExchangeRacingAnUncommittedRevocationIssuesNothing() throws Exception {
        try (Interleaving race = new Interleaving(db)) {
            Future<Optional<TokenStore.Revocation>> revocation = race.runHeld("revocation", true,
                    () -> tokens.revoke("acme", secretId()));

            Future<Optional<TokenStore.IssuedToken>> exchange = race.run("exchange",
                    () -> accessTokens.issueAccessToken(secretId(), Set.of("read"), Duration.ofHours(1)));
            boolean exchangeWaited = race.awaitDoneOrWaitingForALock(exchange, scratch);
            race.release("revocation");

            revocation.get(20, TimeUnit.SECONDS).orElseThrow();
            Optional<TokenStore.IssuedToken> issued = exchange.get(20, TimeUnit.SECONDS);
            issued.ifPresent(late -> assertInstanceOf(Verification.Invalid.class,
                    tokens.verify(TokenHash.of(late.plaintext())), "a token issued in the race dies with the secret"));
            assertTrue(exchangeWaited, "the exchange waited for the revocation's row lock");
            assertEquals(Optional.empty(), issued, "after waiting it read the secret revoked");
            assertEquals(0, accessTokens.listIssuedBy(secretId(), 10, null).items().size());
        }
    }

    /**
     * Whatever the interleaving, and even where a lock is not honoured, an access token whose row was committed
     * after its secret was revoked is refused: verification asks the secret.
     */
    @Test
    void anAccessTokenWrittenAfterItsSecretsRevocationIsRefused() {
        ApiToken parent = tokens.find("acme", secretId()).orElseThrow();
        tokens.revoke("acme", secretId()).orElseThrow();
        String late = TokenFormat.generate(RANDOM);
        db.inTransaction(em -> {
            em.persist(ApiToken.accessToken("tok_late", parent, TokenHash.of(late), TokenFormat.displayPrefix(late),
                    Set.of("read"), clock.instant().plus(Duration.ofHours(1)), clock.instant()));
            return null;
        });

        assertInstanceOf(Verification.Invalid.class, tokens.verify(TokenHash.of(late)));
        assertEquals(TokenStatus.REVOKED, listedStatus(late));
    }

    // ---- ending a secret costs the same whatever the number of its access tokens

    @Test
    void endingASecretWith100000AccessTokensIsOneChangeAndAsManyStatementsAsWithNone() throws SQLException {
        String access = exchange(Set.of("read"));
        TokenStore.IssuedToken lonely = tokens.issue("acme", new TokenDetails("lonely", null, Set.of("read"), null))
                .orElseThrow();
        TokenStore.IssuedToken other = tokens.issue("acme", new TokenDetails("other", null, Set.of("read"), null))
                .orElseThrow();
        long inserting = System.nanoTime();
        insertAccessTokens(secretId(), 100_000);
        insertAccessTokens(other.token().getId(), 100_000);
        System.out.printf("%s: 200 000 access tokens inserted in %d ms%n", database().label, millisSince(inserting));
        ChangeLog changes = new ChangeLog(ChangeLog.CAPACITY);
        VerifierFunctions functions = new VerifierFunctions(tokens::verify, changes, new UsageCounter(), null,
                new io.keygate.limits.CountBoard(), new io.keygate.server.metrics.ServerMetrics());

        long withNone = statements(() -> revokeAndPublish(lonely.token().getId(), changes));
        long started = System.nanoTime();
        long withMany = statements(() -> revokeAndPublish(secretId(), changes));
        long revokeMillis = millisSince(started);
        started = System.nanoTime();
        long rotating = statements(() -> tokens.rotate("acme", other.token().getId(), Duration.ZERO, null)
                .ifPresent(successor -> changes.secretChanged(other.token().getHash(), other.token().getId())));
        long rotateMillis = millisSince(started);
        System.out.printf("%s: revoking a secret with 100 000 access tokens took %d ms (%d statements, %d with none);"
                + " rotating one took %d ms (%d statements)%n", database().label, revokeMillis, withMany, withNone,
                rotateMillis, rotating);

        assertEquals(withNone, withMany, "statements to revoke a secret, with 100 000 access tokens and with none");
        assertInstanceOf(Verification.Invalid.class, tokens.verify(TokenHash.of(access)));
        Map<?, ?> learned = (Map<?, ?>) invoke(functions, VerifierProtocol.CHANGES_SINCE, 1L,
                List.of(VerifierProtocol.CHANGED_SECRETS));
        assertEquals(List.of(secretId(), other.token().getId()), learned.get(VerifierProtocol.CHANGED_SECRETS),
                "what every filter copies for the two secrets: their ids");
        assertEquals(List.of(secret.token().getHash(), other.token().getHash()),
                learned.get(VerifierProtocol.CHANGED_TOKENS), "and their own hashes, none of their access tokens'");
        assertEquals(3L, learned.get(VerifierProtocol.GENERATION), "one change each");
    }

    private void revokeAndPublish(String id, ChangeLog changes) {
        // What the admin API and the revocation endpoint do.
        tokens.revoke("acme", id).filter(TokenStore.Revocation::changed).map(TokenStore.Revocation::token)
                .ifPresent(revoked -> changes.secretChanged(revoked.getHash(), revoked.getId()));
    }

    private static long statements(Runnable work) {
        assertTrue(StoreStatements.installed(), "EclipseLink counts statements");
        long before = StoreStatements.statements();
        work.run();
        return StoreStatements.statements() - before;
    }

    private static Object invoke(VerifierFunctions functions, String name, Object... args) {
        try {
            return functions.invoke(name, args);
        } catch (NoSuchMethodException e) {
            throw new AssertionError(e);
        }
    }

    /** Plain JDBC batches, as an import would: live access tokens of {@code parentId}, an hour to go. */
    private void insertAccessTokens(String parentId, int count) throws SQLException {
        long now = clock.instant().toEpochMilli();
        try (Connection connection = scratch.connect()) {
            connection.setAutoCommit(false);
            try (PreparedStatement insert = connection.prepareStatement("INSERT INTO KG_TOKEN (ID, TENANT_SLUG,"
                    + " TOKEN_HASH, PREFIX, NAME, OWNER, SCOPES, CREATED_AT, EXPIRES_AT, USAGE_COUNT, PARENT_ID,"
                    + " VERSION) VALUES (?, 'acme', ?, 'kg_bulk0', 'ci', 'alice', 'read', ?, ?, 0, ?, 1)")) {
                for (int i = 0; i < count; i++) {
                    insert.setString(1, String.format("tok_%s_%d", parentId.substring(4, 12), i));
                    insert.setString(2, TokenHash.of(parentId + "-bulk-" + i));
                    insert.setLong(3, now);
                    insert.setLong(4, now + 3_600_000);
                    insert.setString(5, parentId);
                    insert.addBatch();
                    if (i % 1000 == 999) {
                        insert.executeBatch();
                    }
                }
                insert.executeBatch();
            }
            connection.commit();
        }
    }

    private static long millisSince(long nanos) {
        return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - nanos);
    }

    // ---- helpers

    private String secretId() {
        return secret.token().getId();
    }

    private String exchange(Set<String> scopes) {
        return accessTokens.issueAccessToken(secretId(), scopes, Duration.ofHours(1)).orElseThrow().plaintext();
    }

    private Verification.Valid valid(String plaintext) {
        return assertInstanceOf(Verification.Valid.class, tokens.verify(TokenHash.of(plaintext)));
    }

    /** The status the admin API lists for the access token {@code plaintext}, computed from its secret now. */
    private TokenStatus listedStatus(String plaintext) {
        ApiToken access = accessTokens.listIssuedBy(secretId(), 1000, null).items().stream()
                .filter(t -> t.getHash().equals(TokenHash.of(plaintext))).findFirst().orElseThrow();
        assertNull(access.getRevokedAt(), "the access token's own row was not written");
        return Standing.of(access, tokens.find("acme", secretId()).orElse(null), clock.instant()).status();
    }

    /**
     * Two store operations in threads of their own, each named, held where the test says: before its first write
     * ({@code INSERT}, {@code UPDATE}, {@code DELETE}: it has read what it decides on) or right after it (it holds
     * the row lock of what it wrote, uncommitted). EclipseLink's query events mark those points on every database.
     */
    private static final class Interleaving extends org.eclipse.persistence.sessions.SessionEventAdapter
            implements AutoCloseable {

        private final ThreadLocal<String> role = new ThreadLocal<>();
        private final ThreadLocal<Boolean> wrote = ThreadLocal.withInitial(() -> false);
        private final Map<String, java.util.concurrent.CountDownLatch> reached =
                new java.util.concurrent.ConcurrentHashMap<>();
        private final Map<String, java.util.concurrent.CountDownLatch> released =
                new java.util.concurrent.ConcurrentHashMap<>();
        private final Map<String, Boolean> holdAfter = new java.util.concurrent.ConcurrentHashMap<>();
        private final ExecutorService threads = Executors.newFixedThreadPool(2);
        private final org.eclipse.persistence.sessions.Session session;

        Interleaving(Database db) {
            session = db.factory().unwrap(org.eclipse.persistence.sessions.Session.class);
            session.getEventManager().addListener(this);
        }

        /** Runs {@code work} as {@code name}, not held anywhere. */
        <T> Future<T> run(String name, Supplier<T> work) {
            return threads.submit(() -> {
                role.set(name);
                return work.get();
            });
        }

        /**
         * Runs {@code work} as {@code name}, held before its first write ({@code afterFirstWrite} false) or right
         * after it, until {@link #release}; returns once it is held there.
         */
        <T> Future<T> runHeld(String name, boolean afterFirstWrite, Supplier<T> work) throws InterruptedException {
            reached.put(name, new java.util.concurrent.CountDownLatch(1));
            released.put(name, new java.util.concurrent.CountDownLatch(1));
            holdAfter.put(name, afterFirstWrite);
            Future<T> future = run(name, work);
            assertTrue(reached.get(name).await(20, TimeUnit.SECONDS), name + " never reached its first write");
            return future;
        }

        void release(String name) {
            released.get(name).countDown();
        }

        /**
         * Waits until {@code other} finished or is waiting for a row lock in the database: as far as it can go while
         * the held side holds what it holds. Returns whether it was waiting for a lock.
         */
        boolean awaitDoneOrWaitingForALock(Future<?> other, Scratch scratch) throws Exception {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
            while (System.nanoTime() < deadline) {
                if (other.isDone()) {
                    return false;
                }
                if (LockWaits.anyIn(scratch)) {
                    return true;
                }
                Thread.sleep(10);
            }
            throw new AssertionError("neither done nor waiting for a lock after 20 s");
        }

        @Override
        public void preExecuteQuery(org.eclipse.persistence.sessions.SessionEvent event) {
            if (event.getQuery().isModifyQuery() && !wrote.get() && Boolean.FALSE.equals(held())) {
                hold();
            }
        }

        @Override
        public void postExecuteQuery(org.eclipse.persistence.sessions.SessionEvent event) {
            if (event.getQuery().isModifyQuery() && !wrote.get() && Boolean.TRUE.equals(held())) {
                hold();
            }
        }

        /** Whether this thread's operation is held after ({@code true}) or before its first write, or not at all. */
        private Boolean held() {
            String name = role.get();
            return name == null ? null : holdAfter.get(name);
        }

        private void hold() {
            wrote.set(true);
            String name = role.get();
            reached.get(name).countDown();
            try {
                released.get(name).await(30, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }

        @Override
        public void close() {
            released.values().forEach(java.util.concurrent.CountDownLatch::countDown);
            session.getEventManager().removeListener(this);
            threads.shutdownNow();
        }
    }

    /** Whether a session of the scratch schema waits for a row lock, asked the database from outside. */
    private static final class LockWaits {

        static boolean anyIn(Scratch scratch) throws SQLException {
            try (Connection connection = scratch.connect(); var statement = connection.createStatement()) {
                if (scratch.database() == TestDatabase.MARIADB) {
                    // InnoDB's own report names every waiting transaction and the table of the record it waits for
                    // (its INNODB_TRX and INNODB_LOCK_WAITS tables missed some waits).
                    try (var result = statement.executeQuery("SHOW ENGINE INNODB STATUS")) {
                        result.next();
                        return innoDbWaitsIn(result.getString("Status"), scratch.name());
                    }
                }
                String sql = scratch.database() == TestDatabase.H2
                        ? "SELECT COUNT(*) FROM INFORMATION_SCHEMA.SESSIONS WHERE BLOCKER_ID IS NOT NULL"
                        // A transaction that waits for a row holds the row's tuple lock while it waits for the holder.
                        : "SELECT COUNT(*) FROM pg_locks l JOIN pg_class c ON c.oid = l.relation"
                                + " JOIN pg_namespace n ON n.oid = c.relnamespace"
                                + " WHERE l.locktype = 'tuple' AND n.nspname = '" + scratch.name() + "'";
                try (var result = statement.executeQuery(sql)) {
                    result.next();
                    return result.getLong(1) > 0;
                }
            }
        }

        private static boolean innoDbWaitsIn(String status, String schema) {
            String marker = "TRX HAS BEEN WAITING";
            for (int at = status.indexOf(marker); at >= 0; at = status.indexOf(marker, at + marker.length())) {
                String waitingFor = status.substring(at, Math.min(status.length(), at + 600));
                if (waitingFor.contains("`" + schema + "`.")) {
                    return true;
                }
            }
            return false;
        }
    }
}
