package io.keygate.server.oauth2;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.keygate.server.store.AccessTokens;
import io.keygate.server.store.Database;
import io.keygate.server.store.StoreSettings;
import io.keygate.server.store.TenantStore;
import io.keygate.server.store.TokenDetails;
import io.keygate.server.store.TokenStore;
import io.keygate.server.store.Verification;
import io.keygate.server.usage.UsageCounter;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A real secret presented under a client id or username that is not its own is a failed client authentication
 * (RFC 6749 section 5.2): the token endpoint's throttle and the audit log count it like a wrong secret, so naming
 * clients cannot be probed for free.
 */
class TokenExchangeFailuresTest {

    private Database db;
    private TokenStore tokens;
    private TokenStore.IssuedToken secret;
    private final List<String> failedClients = new ArrayList<>();

    private final TokenExchange.Guard guard = new TokenExchange.Guard() {
        @Override
        public void mayTry(String clientId) {
        }

        @Override
        public void failed(String clientId, String presented) {
            failedClients.add(clientId);
        }

        @Override
        public void admit(Verification.Valid valid, String clientId, String presented) {
        }
    };

    @BeforeEach
    void open() {
        String url = "jdbc:h2:mem:exchange" + System.nanoTime() + ";DB_CLOSE_DELAY=-1";
        db = new Database(StoreSettings.from(key -> StoreSettings.DB_URL.equals(key) ? Optional.of(url)
                : Optional.empty()));
        db.connect();
        new TenantStore(db, Clock.systemUTC()).create("acme", "Acme Inc", null);
        tokens = new TokenStore(db, Clock.systemUTC());
        secret = tokens.issue("acme", new TokenDetails("ci", "alice", Set.of("read"), null)).orElseThrow();
    }

    @AfterEach
    void close() {
        db.close();
    }

    @Test
    void realSecretUnderAnotherClientIdThenInvalidClientAndCountedAsAFailure() {
        OAuthException refused = assertThrows(OAuthException.class, () -> exchange(Map.of(
                "grant_type", "client_credentials", "client_id", "tok_000000000000000000000000",
                "client_secret", secret.plaintext())));

        assertEquals("invalid_client", refused.error().error());
        assertEquals(List.of("tok_000000000000000000000000"), failedClients);
    }

    @Test
    void realSecretUnderAnotherUsernameThenInvalidGrantAndCountedAsAFailure() {
        OAuthException refused = assertThrows(OAuthException.class, () -> exchange(Map.of(
                "grant_type", "password", "username", "mallory", "password", secret.plaintext())));

        assertEquals("invalid_grant", refused.error().error());
        assertEquals(List.of("username:mallory"), failedClients);
    }

    @Test
    void realSecretUnderItsOwnClientIdThenAnAccessTokenAndNoFailure() throws OAuthException {
        TokenStore.IssuedToken access = exchange(Map.of("grant_type", "client_credentials",
                "client_id", secret.token().getId(), "client_secret", secret.plaintext()));

        assertEquals(secret.token().getId(), access.token().getParentId());
        assertEquals(List.of(), failedClients);
    }

    private TokenStore.IssuedToken exchange(Map<String, String> form) throws OAuthException {
        return new TokenExchange(tokens, new AccessTokens(db, Clock.systemUTC()), new UsageCounter(),
                new OAuthSettings(Duration.ofHours(1), true), guard).exchange(TokenExchangeScopesTest.form(form));
    }
}
