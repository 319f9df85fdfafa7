package io.keygate.server;

import io.keygate.server.store.TokenDetails;
import io.keygate.server.store.TokenStore;
import io.keygate.token.Scopes;
import io.keygate.token.TokenHash;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import java.util.logging.Logger;
import java.util.regex.Pattern;

/**
 * Makes sure there is a way in: the first global admin token.
 *
 * <p>When {@code keygate.admin-token} ({@code KEYGATE_ADMIN_TOKEN}) is set, that value is accepted as a global
 * admin token; only its hash is stored, under the fixed id {@value #BOOTSTRAP_ID}, replaced when the value
 * changes. Otherwise, when no active global admin token exists, one is generated and printed to the server log
 * once, in a banner: the single place a token is ever logged, because there is no other channel on a first
 * start.
 */
final class AdminBootstrap {

    static final String ADMIN_TOKEN = "keygate.admin-token";
    static final String BOOTSTRAP_ID = "tok_bootstrap";

    /** RFC 6750 section 2.1 b64token, 32 to 256 characters. */
    private static final Pattern ACCEPTED = Pattern.compile("[A-Za-z0-9\\-._~+/]{32,256}=*");

    private static final Logger LOG = Logger.getLogger(AdminBootstrap.class.getName());

    private final TokenStore tokens;
    private final Function<String, Optional<String>> config;

    AdminBootstrap(TokenStore tokens, Function<String, Optional<String>> config) {
        this.tokens = tokens;
        this.config = config;
    }

    void run() {
        Optional<String> configured = config.apply(ADMIN_TOKEN).filter(v -> !v.isEmpty());
        if (configured.isPresent()) {
            String value = configured.get();
            if (!ACCEPTED.matcher(value).matches() || value.length() > 256) {
                // The value is a secret: say what is wrong with it, never what it is.
                throw new IllegalArgumentException(ADMIN_TOKEN + " (KEYGATE_ADMIN_TOKEN) must be 32-256 characters"
                        + " of A-Z a-z 0-9 - . _ ~ + / (optionally ending in =); the value set has "
                        + value.length() + " characters");
            }
            tokens.putGlobalAdmin(BOOTSTRAP_ID, TokenHash.of(value), value.substring(0, 3),
                    new TokenDetails("Bootstrap admin token (" + ADMIN_TOKEN + ")", null, Set.of(Scopes.ADMIN), null));
            LOG.info("Keygate accepts the admin token configured in " + ADMIN_TOKEN);
            return;
        }
        if (!tokens.hasActiveGlobalAdmin()) {
            TokenStore.IssuedToken issued = tokens.issue(null,
                    new TokenDetails("Initial admin token", null, Set.of(Scopes.ADMIN), null)).orElseThrow();
            LOG.info(banner(issued.plaintext()));
        }
    }

    private static String banner(String token) {
        String rule = "=".repeat(78);
        return "\n" + rule
                + "\n Keygate first start: a global admin token was generated."
                + "\n\n     " + token
                + "\n\n Store it now: it is kept only as a hash and WILL NOT BE SHOWN AGAIN."
                + "\n Use it as 'Authorization: Bearer <token>' on /keygate/api/v1, or set KEYGATE_ADMIN_TOKEN."
                + "\n" + rule;
    }
}
