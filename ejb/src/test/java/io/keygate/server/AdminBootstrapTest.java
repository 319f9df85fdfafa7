package io.keygate.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.keygate.server.audit.AuditTrail;
import io.keygate.server.store.ApiToken;
import io.keygate.server.store.AuditEvent;
import io.keygate.server.store.AuditStore;
import io.keygate.server.store.BootstrapAdmins;
import io.keygate.server.store.Database;
import io.keygate.server.store.StoreSettings;
import io.keygate.server.store.TokenDetails;
import io.keygate.server.store.TokenStore;
import io.keygate.server.store.Verification;
import io.keygate.token.Scopes;
import io.keygate.token.TokenFormat;
import io.keygate.token.TokenHash;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The way in across restarts: each {@link #start} is what {@code keygate.war} does at start-up, with or without
 * {@code KEYGATE_ADMIN_TOKEN}, on one store that outlives the starts (H2 in memory).
 */
class AdminBootstrapTest {

    private static final String CONFIGURED = "operator-chosen-admin-token-0123456789abcdefghijklmnop";
    private static final String ANOTHER = "another-operator-chosen-token-0123456789abcdefghijklm";
    private static final Pattern BANNER_TOKEN = Pattern.compile("kg_[0-9A-Za-z]{36}");

    private Database db;
    private TokenStore tokens;
    private AuditStore auditLog;
    private final List<String> forgotten = Collections.synchronizedList(new ArrayList<>());
    private final List<String> log = Collections.synchronizedList(new ArrayList<>());
    private final Logger logger = Logger.getLogger(AdminBootstrap.class.getName());
    private final Handler capture = new Handler() {
        @Override
        public void publish(LogRecord record) {
            log.add(record.getLevel() + " " + record.getMessage());
        }

        @Override
        public void flush() {
        }

        @Override
        public void close() {
        }
    };

    @BeforeEach
    void open() {
        String url = "jdbc:h2:mem:bootstrap" + System.nanoTime() + ";DB_CLOSE_DELAY=-1";
        db = new Database(StoreSettings.from(key -> StoreSettings.DB_URL.equals(key) ? Optional.of(url)
                : Optional.empty()));
        db.connect();
        tokens = new TokenStore(db, Clock.systemUTC());
        auditLog = new AuditStore(db);
        logger.addHandler(capture);
    }

    @AfterEach
    void close() {
        logger.removeHandler(capture);
        db.close();
    }

    /** One start-up of {@code keygate.war}, with {@code KEYGATE_ADMIN_TOKEN} set to {@code configured} or not. */
    private List<String> start(String configured) {
        return start(configured, true);
    }

    private List<String> start(String configured, boolean clearLog) {
        if (clearLog) {
            log.clear();
        }
        new AdminBootstrap(new BootstrapAdmins(db, Clock.systemUTC()), tokens,
                key -> AdminBootstrap.ADMIN_TOKEN.equals(key) ? Optional.ofNullable(configured) : Optional.empty(),
                forgotten::add, new AuditTrail(auditLog, Clock.systemUTC())).run();
        return List.copyOf(log);
    }

    /** The id of the bootstrap token of {@code value}. */
    private static String idOf(String value) {
        return BootstrapAdmins.bootstrapId(TokenHash.of(value));
    }

    /**
     * Two servers on one store starting at the same moment, both with {@code KEYGATE_ADMIN_TOKEN} set to
     * {@code configured} or both without it; each must start. Returns the log lines of both.
     */
    private List<String> startTogether(String configured) throws Exception {
        log.clear();
        CyclicBarrier together = new CyclicBarrier(2);
        ExecutorService servers = Executors.newFixedThreadPool(2);
        try {
            List<Future<?>> starts = new ArrayList<>();
            for (int i = 0; i < 2; i++) {
                starts.add(servers.submit(() -> {
                    together.await(10, TimeUnit.SECONDS);
                    start(configured, false);
                    return null;
                }));
            }
            for (Future<?> start : starts) {
                start.get(20, TimeUnit.SECONDS); // a start that threw fails the test here
            }
        } finally {
            servers.shutdownNow();
        }
        return List.copyOf(log);
    }

    private static long count(List<String> lines, String part) {
        return lines.stream().filter(line -> line.contains(part)).count();
    }

    /** The bootstrap tokens listed (global tokens that are not the banner's), oldest first. */
    private List<ApiToken> bootstrapTokens() {
        List<ApiToken> listed = new ArrayList<>(tokens.list(null, 100, null).items().stream()
                .filter(t -> t.getName().startsWith("Bootstrap admin token")).toList());
        Collections.reverse(listed);
        return listed;
    }

    private boolean isAdmin(String token) {
        return tokens.verify(TokenHash.of(token)) instanceof Verification.Valid valid
                && valid.token().getTenantSlug() == null && valid.scopes().contains(Scopes.ADMIN);
    }

    private static Optional<String> bannerToken(List<String> lines) {
        for (String line : lines) {
            Matcher token = BANNER_TOKEN.matcher(line);
            if (token.find()) {
                return Optional.of(token.group());
            }
        }
        return Optional.empty();
    }

    @Test
    void removingTheVariableRevokesTheBootstrapTokenAndTheBannerGivesTheOnlyAdminAWayIn() {
        start(CONFIGURED);
        assertTrue(isAdmin(CONFIGURED));

        List<String> restart = start(null);

        assertInstanceOf(Verification.Invalid.class, tokens.verify(TokenHash.of(CONFIGURED)),
                "the value removed from the environment no longer opens the admin API");
        assertNotNull(tokens.find(null, idOf(CONFIGURED)).orElseThrow().getRevokedAt(),
                "listed as revoked, not erased");
        assertEquals(1, restart.stream().filter(l -> l.contains("revoked the bootstrap admin token")).count(),
                restart::toString);
        String revocation = restart.stream().filter(l -> l.contains("revoked")).findFirst().orElseThrow();
        assertTrue(revocation.startsWith("WARNING ") && !revocation.contains("\n"), revocation);
        assertFalse(String.join("\n", restart).contains(CONFIGURED.substring(3)), "no part of the secret is logged");
        assertEquals(List.of(TokenHash.of(CONFIGURED)), forgotten, "every filter's cache forgets it");
        AuditEvent audited = auditLog.list(null, 10, null).items().get(0);
        assertEquals(List.of("keygate", "token.revoke", idOf(CONFIGURED)),
                List.of(audited.getActor(), audited.getAction(), audited.getTarget()));

        String generated = bannerToken(restart).orElseThrow(() -> new AssertionError("no banner: " + restart));
        assertTrue(TokenFormat.isWellFormed(generated));
        assertTrue(isAdmin(generated), "the banner's token is a global admin token");

        List<String> third = start(null);
        assertEquals(List.of(), third, "nothing more to revoke, an admin exists: a quiet start");
        assertTrue(isAdmin(generated));
    }

    @Test
    void removingTheVariableWhileAnotherAdminExistsRevokesWithoutABanner() {
        start(CONFIGURED);
        String other = tokens.issue(null, new TokenDetails("Ops", null, Set.of(Scopes.ADMIN), null))
                .orElseThrow().plaintext();

        List<String> restart = start(null);

        assertFalse(isAdmin(CONFIGURED));
        assertTrue(isAdmin(other));
        assertEquals(Optional.empty(), bannerToken(restart), restart::toString);
        assertEquals(1, restart.size(), restart::toString);
    }

    @Test
    void aRevokedValueSetAgainIsRefusedAndAnAdminWithoutAnyOtherTokenStillGetsTheBanner() {
        start(CONFIGURED);
        tokens.revoke(null, idOf(CONFIGURED)); // an admin revoked it through the API

        List<String> restart = start(CONFIGURED);

        assertFalse(isAdmin(CONFIGURED), "a revoked secret does not come back");
        assertTrue(restart.stream().anyMatch(l -> l.startsWith("WARNING ") && l.contains("set a new value")),
                restart::toString);
        assertTrue(isAdmin(bannerToken(restart).orElseThrow(() -> new AssertionError(restart.toString()))));

        start("another-operator-chosen-token-0123456789abcdefghijklm");
        assertTrue(isAdmin("another-operator-chosen-token-0123456789abcdefghijklm"), "a new value is accepted");
    }

    @Test
    void changingTheValueRevokesThePreviousOneWhichStaysListedAndEveryFilterForgetsIt() {
        start(CONFIGURED);

        List<String> restart = start(ANOTHER);

        assertTrue(isAdmin(ANOTHER));
        assertFalse(isAdmin(CONFIGURED), "the previous value no longer opens the admin API");
        List<ApiToken> listed = bootstrapTokens();
        assertEquals(2, listed.size(), "the previous value's token stays listed: " + listed);
        assertNotNull(listed.get(0).getRevokedAt(), "revoked");
        assertEquals(List.of(TokenHash.of(CONFIGURED)), forgotten, "every filter's cache forgets it");
        assertEquals(1, count(restart, "revoked the bootstrap admin token"), restart::toString);
        assertFalse(String.join("\n", restart).contains(CONFIGURED.substring(3)), "no part of the secret is logged");
        assertEquals(Optional.empty(), bannerToken(restart), restart::toString);
    }

    @Test
    void aValueRevokedByItsRemovalIsRefusedWhenSetAgainAfterAnother() {
        start(CONFIGURED);
        List<String> removed = start(null);
        String generated = bannerToken(removed).orElseThrow(() -> new AssertionError(removed.toString()));
        start(ANOTHER);
        forgotten.clear();

        List<String> again = start(CONFIGURED);

        assertFalse(isAdmin(CONFIGURED), "a revoked value never comes back");
        assertFalse(isAdmin(ANOTHER), "the value configured before it is no longer set: revoked");
        assertEquals(List.of(TokenHash.of(ANOTHER)), forgotten);
        assertEquals(1, count(again, "set a new value"), again::toString);
        assertTrue(again.stream().anyMatch(l -> l.startsWith("WARNING ") && l.contains("was revoked earlier")),
                again::toString);
        assertEquals(Optional.empty(), bannerToken(again), again::toString);
        assertTrue(isAdmin(generated), "the banner's token of the start without the variable is the way in");
        assertEquals(2, bootstrapTokens().size(), "no bootstrap token is ever erased");
    }

    @Test
    void twoServersStartingTogetherWithANewValueBothStartAndRevokeThePreviousOneOnce() throws Exception {
        start(CONFIGURED);

        List<String> both = startTogether(ANOTHER);

        assertTrue(isAdmin(ANOTHER));
        assertFalse(isAdmin(CONFIGURED));
        assertEquals(List.of(TokenHash.of(CONFIGURED)), forgotten, "published once");
        assertEquals(1, count(both, "revoked the bootstrap admin token"), both::toString);
        assertEquals(Optional.empty(), bannerToken(both), both::toString);
    }

    @Test
    void twoServersStartingTogetherWithoutTheVariableRevokeOnceAndAuditOnce() throws Exception {
        start(CONFIGURED);
        String other = tokens.issue(null, new TokenDetails("Ops", null, Set.of(Scopes.ADMIN), null))
                .orElseThrow().plaintext();

        List<String> both = startTogether(null);

        assertFalse(isAdmin(CONFIGURED));
        assertTrue(isAdmin(other));
        assertEquals(List.of(TokenHash.of(CONFIGURED)), forgotten, "published once");
        assertEquals(1, count(both, "revoked the bootstrap admin token"), both::toString);
        assertEquals(1, auditLog.list(null, 10, null).items().stream()
                .filter(e -> e.getAction().equals("token.revoke")).count(), "audited once");
    }

    @Test
    void aFirstStartWithoutTheVariableGeneratesOneAdminOnce() {
        List<String> first = start(null);
        String generated = bannerToken(first).orElseThrow(() -> new AssertionError(first.toString()));
        assertTrue(isAdmin(generated));
        assertFalse(first.stream().anyMatch(l -> l.contains("revoked")), "nothing was configured, nothing revoked");

        assertEquals(List.of(), start(null), "shown once");
    }
}
