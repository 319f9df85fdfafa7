package io.keygate.server;

import io.keygate.server.audit.AuditTrail;
import io.keygate.server.store.BootstrapAdmins;
import io.keygate.server.store.BootstrapSettlement;
import io.keygate.server.store.TokenDetails;
import io.keygate.server.store.TokenStore;
import io.keygate.token.Scopes;
import io.keygate.token.TokenFormat;
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
 * admin token; only its hash is stored, under an id derived from the hash ({@link BootstrapAdmins#bootstrapId}). Every
 * other bootstrap token still active is revoked, never deleted: a credential that lives in a server's environment
 * must not outlive its removal from it, whether the variable was removed or given another value. A value once
 * revoked (so, or by an admin through the API) is refused if it is set again, with a warning: a new value is
 * needed. The store keeps every value's hash, so this holds across any sequence of values.
 *
 * <p>Then, when no active global admin token exists (a first start, or the bootstrap token revoked or refused and
 * no other admin left), one is generated and printed to the server log once, in a banner: the single place a token
 * is ever logged, because there is no other channel to hand it over.
 *
 * <p>Servers sharing a store may start at once: only the server whose write changed a row logs it, audits it and
 * tells the filters, and two of them storing the same new value both start.
 */
final class AdminBootstrap {

    static final String ADMIN_TOKEN = "keygate.admin-token";
    /** The actor of the audit events that record what this does: the server itself, not an admin token. */
    static final String ACTOR = "keygate";

    /** RFC 6750 section 2.1 b64token, 32 to 256 characters. */
    private static final Pattern ACCEPTED = Pattern.compile("[A-Za-z0-9\\-._~+/]{32,256}=*");

    private static final Logger LOG = Logger.getLogger(AdminBootstrap.class.getName());

    private final BootstrapAdmins admins;
    private final TokenStore tokens;
    private final Function<String, Optional<String>> config;
    private final Consumer<String> revokedHash;
    private final AuditTrail audit;

    /**
     * @param revokedHash told the hash of a token this revokes, so that every filter's cache forgets it
     * @param audit       where the revocation is recorded
     */
    AdminBootstrap(BootstrapAdmins admins, TokenStore tokens, Function<String, Optional<String>> config,
            Consumer<String> revokedHash, AuditTrail audit) {
        this.admins = admins;
        this.tokens = tokens;
        this.config = config;
        this.revokedHash = revokedHash;
        this.audit = audit;
    }

    /**
     * What listings show of the configured value: a Keygate token's usual prefix when it has a token's shape, and
     * nothing otherwise, since the value may be any secret and even its first characters narrow a guess.
     */
    private static String listedPrefix(String value) {
        String prefix = TokenFormat.loggablePrefix(value);
        return prefix != null ? prefix : "";
    }

    void run() {
        Optional<String> configured = config.apply(ADMIN_TOKEN).filter(v -> !v.isEmpty());
        configured.ifPresent(AdminBootstrap::validate);
        BootstrapSettlement settled = admins.settleBootstrapAdmin(configured.map(TokenHash::of).orElse(null),
                configured.map(AdminBootstrap::listedPrefix).orElse(null),
                new TokenDetails("Bootstrap admin token (" + ADMIN_TOKEN + ")", null, Set.of(Scopes.ADMIN), null));
        report(settled);
        for (BootstrapSettlement.Revoked revoked : settled.revoked()) {
            revokedHash.accept(revoked.hash());
            String reason = ADMIN_TOKEN + (configured.isPresent() ? " now holds another value" : " is no longer set");
            LOG.warning("Keygate revoked the bootstrap admin token " + revoked.id() + ": " + reason);
            audit.record(null, ACTOR, "token.revoke", revoked.id(), null, reason);
        }
        if (!admins.hasActiveGlobalAdmin()) {
            TokenStore.IssuedToken issued = tokens.issue(null,
                    new TokenDetails("Initial admin token", null, Set.of(Scopes.ADMIN), null)).orElseThrow();
            LOG.info(banner(issued.plaintext()));
        }
    }

    /** A value that cannot be a bearer token fails the deployment; the message never shows the value. */
    private static void validate(String value) {
        if (!ACCEPTED.matcher(value).matches() || value.length() > 256) {
            throw new IllegalArgumentException(ADMIN_TOKEN + " (KEYGATE_ADMIN_TOKEN) must be 32-256 characters"
                    + " of A-Z a-z 0-9 - . _ ~ + / (optionally ending in =); the value set has "
                    + value.length() + " characters");
        }
    }

    /** Says how the configured value stands: one line, its token's id, never any part of the value. */
    private void report(BootstrapSettlement settled) {
        switch (settled.configured()) {
            case ADDED -> {
                LOG.info("Keygate added the admin token configured in " + ADMIN_TOKEN + " as global admin token "
                        + settled.tokenId());
                audit.record(null, ACTOR, "admin_token.create", settled.tokenId(), null, ADMIN_TOKEN + " is set");
            }
            case ACTIVE -> LOG.info("Keygate accepts the admin token configured in " + ADMIN_TOKEN + " ("
                    + settled.tokenId() + ")");
            case REVOKED -> LOG.warning("Keygate does not accept the admin token configured in " + ADMIN_TOKEN
                    + " (KEYGATE_ADMIN_TOKEN): that value was revoked earlier (" + settled.tokenId() + "), and a"
                    + " revoked value is never accepted again; set a new value");
            case OTHER_TOKEN -> LOG.warning("Keygate does not take the value configured in " + ADMIN_TOKEN
                    + " (KEYGATE_ADMIN_TOKEN) as a bootstrap admin token: that value is already the token "
                    + settled.tokenId() + ", which keeps its own scopes and status; set a new value");
            case NONE -> {
            }
        }
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
