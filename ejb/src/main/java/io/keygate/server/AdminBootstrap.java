package io.keygate.server;

import io.keygate.server.audit.AuditTrail;
import io.keygate.server.store.ApiToken;
import io.keygate.server.store.TokenDetails;
import io.keygate.server.store.TokenStore;
import io.keygate.token.Scopes;
import io.keygate.token.TokenHash;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.logging.Logger;
import java.util.regex.Pattern;

/**
 * Makes sure there is a way in: the first global admin token.
 *
 * <p>When {@code keygate.admin-token} ({@code KEYGATE_ADMIN_TOKEN}) is set, that value is accepted as a global
 * admin token; only its hash is stored, under the fixed id {@value #BOOTSTRAP_ID}, replaced when the value
 * changes. When it is no longer set, the token stored under that id is revoked at start-up: a credential that
 * lives in a server's environment must not outlive its removal from it (removing it is how an operator retires
 * it). A value that was revoked (so, or by an admin through the API) stays revoked if it is set again: a new
 * value is needed.
 *
 * <p>Then, when no active global admin token exists (a first start, or the bootstrap token just revoked and no
 * other admin left), one is generated and printed to the server log once, in a banner: the single place a token
 * is ever logged, because there is no other channel to hand it over.
 */
final class AdminBootstrap {

    static final String ADMIN_TOKEN = "keygate.admin-token";
    static final String BOOTSTRAP_ID = "tok_bootstrap";
    /** The actor of the audit event that records the revocation: the server itself, not an admin token. */
    static final String ACTOR = "keygate";

    /** RFC 6750 section 2.1 b64token, 32 to 256 characters. */
    private static final Pattern ACCEPTED = Pattern.compile("[A-Za-z0-9\\-._~+/]{32,256}=*");

    private static final Logger LOG = Logger.getLogger(AdminBootstrap.class.getName());

    private final TokenStore tokens;
    private final Function<String, Optional<String>> config;
    private final Consumer<String> revokedHash;
    private final AuditTrail audit;

    /**
     * @param revokedHash told the hash of a token this revokes, so that every filter's cache forgets it
     * @param audit       where the revocation is recorded
     */
    AdminBootstrap(TokenStore tokens, Function<String, Optional<String>> config, Consumer<String> revokedHash,
            AuditTrail audit) {
        this.tokens = tokens;
        this.config = config;
        this.revokedHash = revokedHash;
        this.audit = audit;
    }

    void run() {
        Optional<String> configured = config.apply(ADMIN_TOKEN).filter(v -> !v.isEmpty());
        if (configured.isPresent()) {
            if (accept(configured.get())) {
                return;
            }
        } else {
            revokeBootstrapToken();
        }
        if (!tokens.hasActiveGlobalAdmin()) {
            TokenStore.IssuedToken issued = tokens.issue(null,
                    new TokenDetails("Initial admin token", null, Set.of(Scopes.ADMIN), null)).orElseThrow();
            LOG.info(banner(issued.plaintext()));
        }
    }

    /** Stores the configured value's hash; whether it is now an active admin token. */
    private boolean accept(String value) {
        if (!ACCEPTED.matcher(value).matches() || value.length() > 256) {
            // The value is a secret: say what is wrong with it, never what it is.
            throw new IllegalArgumentException(ADMIN_TOKEN + " (KEYGATE_ADMIN_TOKEN) must be 32-256 characters"
                    + " of A-Z a-z 0-9 - . _ ~ + / (optionally ending in =); the value set has "
                    + value.length() + " characters");
        }
        tokens.putGlobalAdmin(BOOTSTRAP_ID, TokenHash.of(value), value.substring(0, 3),
                new TokenDetails("Bootstrap admin token (" + ADMIN_TOKEN + ")", null, Set.of(Scopes.ADMIN), null));
        if (tokens.find(null, BOOTSTRAP_ID).map(ApiToken::getRevokedAt).isPresent()) {
            LOG.warning("Keygate does not accept the admin token configured in " + ADMIN_TOKEN
                    + " (KEYGATE_ADMIN_TOKEN): that value was revoked earlier; set a new value");
            return false;
        }
        LOG.info("Keygate accepts the admin token configured in " + ADMIN_TOKEN);
        return true;
    }

    /**
     * Revokes the bootstrap token if it is still active: its value is no longer configured. Says so in one log line
     * (no part of the value: only the id) and in the audit log.
     */
    private void revokeBootstrapToken() {
        if (tokens.find(null, BOOTSTRAP_ID).filter(t -> t.getRevokedAt() == null).isEmpty()) {
            return;
        }
        tokens.revoke(null, BOOTSTRAP_ID).filter(TokenStore.Revocation::changed).map(TokenStore.Revocation::token)
                .ifPresent(revoked -> {
            revokedHash.accept(revoked.getHash());
            LOG.warning("Keygate revoked the bootstrap admin token " + BOOTSTRAP_ID + ": " + ADMIN_TOKEN
                    + " (KEYGATE_ADMIN_TOKEN) is no longer set");
            audit.record(null, ACTOR, "token.revoke", BOOTSTRAP_ID, null, ADMIN_TOKEN + " is no longer set");
        });
    }

    private static String banner(String token) {
        String rule = "=".repeat(78);
        return "\n" + rule
                + "\n Keygate had no active global admin token: one was generated."
                + "\n\n     " + token
                + "\n\n Store it now: it is kept only as a hash and WILL NOT BE SHOWN AGAIN."
                + "\n Use it as 'Authorization: Bearer <token>' on /keygate/api/v1, or set KEYGATE_ADMIN_TOKEN."
                + "\n" + rule;
    }
}
