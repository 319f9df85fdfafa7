package io.keygate.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.keygate.server.audit.AuditTrail;
import io.keygate.server.store.AuditEvent;
import io.keygate.server.store.AuditStore;
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
import java.util.List;
import java.util.Optional;
import java.util.Set;
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
    private static final Pattern BANNER_TOKEN = Pattern.compile("kg_[0-9A-Za-z]{36}");

    private Database db;
    private TokenStore tokens;
    private AuditStore auditLog;
    private final List<String> forgotten = new ArrayList<>();
    private final List<String> log = new ArrayList<>();
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
        log.clear();
        new AdminBootstrap(tokens, key -> AdminBootstrap.ADMIN_TOKEN.equals(key) ? Optional.ofNullable(configured)
                : Optional.empty(), forgotten::add, new AuditTrail(auditLog, Clock.systemUTC())).run();
        return List.copyOf(log);
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
        assertNotNull(tokens.find(null, AdminBootstrap.BOOTSTRAP_ID).orElseThrow().getRevokedAt(),
                "listed as revoked, not erased");
        assertEquals(1, restart.stream().filter(l -> l.contains("revoked the bootstrap admin token")).count(),
                restart::toString);
        String revocation = restart.stream().filter(l -> l.contains("revoked")).findFirst().orElseThrow();
        assertTrue(revocation.startsWith("WARNING ") && !revocation.contains("\n"), revocation);
        assertFalse(String.join("\n", restart).contains(CONFIGURED.substring(3)), "no part of the secret is logged");
        assertEquals(List.of(TokenHash.of(CONFIGURED)), forgotten, "every filter's cache forgets it");
        AuditEvent audited = auditLog.list(null, 10, null).items().get(0);
        assertEquals(List.of("keygate", "token.revoke", "tok_bootstrap"),
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
        tokens.revoke(null, AdminBootstrap.BOOTSTRAP_ID); // an admin revoked it through the API

        List<String> restart = start(CONFIGURED);

        assertFalse(isAdmin(CONFIGURED), "a revoked secret does not come back");
        assertTrue(restart.stream().anyMatch(l -> l.startsWith("WARNING ") && l.contains("set a new value")),
                restart::toString);
        assertTrue(isAdmin(bannerToken(restart).orElseThrow(() -> new AssertionError(restart.toString()))));

        start("another-operator-chosen-token-0123456789abcdefghijklm");
        assertTrue(isAdmin("another-operator-chosen-token-0123456789abcdefghijklm"), "a new value is accepted");
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
