package io.keygate.server.store;

import io.keygate.token.Scopes;
import io.keygate.token.TokenHash;
import jakarta.persistence.EntityManager;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * The bootstrap admin tokens: the global admin tokens whose values are configured in {@code keygate.admin-token}
 * rather than issued, one row per value ever configured. Only the hash of a value is stored.
 */
public class BootstrapAdmins {

    /** What every bootstrap token's id begins with, {@value #LEGACY_BOOTSTRAP_ID} included. */
    static final String BOOTSTRAP_ID_PREFIX = "tok_boot";
    /** The one fixed id under which versions before hash-derived ids kept the bootstrap token. */
    static final String LEGACY_BOOTSTRAP_ID = "tok_bootstrap";

    private final Database db;
    private final Clock clock;

    public BootstrapAdmins(Database db, Clock clock) {
        this.db = db;
        this.clock = clock;
    }

    /**
     * Makes the stored bootstrap admin tokens match the value configured now ({@code keygate.admin-token}):
     * {@code hash} is its SHA-256, {@code null} when none is set. Each value has a row of its own, under an id
     * derived from its hash ({@link #bootstrapId}), found by that hash; rows are never deleted, so a value once
     * revoked (because it was removed, replaced, or revoked through the API) is recognised and refused forever.
     * A value never seen is stored as a global admin token; every other active bootstrap token, the row
     * {@value #LEGACY_BOOTSTRAP_ID} of earlier versions included, is revoked: its value is no longer configured.
     *
     * <p>One transaction. Each revocation is a conditional {@code UPDATE} whose row count says whether this call
     * changed the row, so of two servers starting at once only one reports it. Two servers inserting the same new
     * value at once: the second insert violates the hash's uniqueness, and the one retry finds the row the first
     * committed.
     */
    public BootstrapSettlement settleBootstrapAdmin(String hash, String prefix, TokenDetails details) {
        try {
            return db.inTransaction(em -> settleBootstrapAdmin(em, hash, prefix, details));
        } catch (ConflictException e) {
            // Another server stored the same value at the same moment: it is there now.
            return db.inTransaction(em -> settleBootstrapAdmin(em, hash, prefix, details));
        }
    }

    /**
     * The id of the bootstrap token of the value whose SHA-256 is {@code hash}: {@value #BOOTSTRAP_ID_PREFIX} and
     * its first 24 hex digits. The hash of a value of 32 or more random characters reveals nothing of it, and
     * {@code boot} (not hex) never begins a generated id.
     */
    public static String bootstrapId(String hash) {
        return BOOTSTRAP_ID_PREFIX + hash.substring(0, 24);
    }

    private BootstrapSettlement settleBootstrapAdmin(EntityManager em, String hash, String prefix,
            TokenDetails details) {
        Instant now = clock.instant();
        BootstrapSettlement.Configured configured = BootstrapSettlement.Configured.NONE;
        String keptId = null;
        if (hash != null) {
            ApiToken same = em.createQuery("SELECT t FROM ApiToken t WHERE t.hash = :hash", ApiToken.class)
                    .setParameter("hash", hash).getResultList().stream()
                    .filter(t -> TokenHash.matches(t.getHash(), hash)).findFirst().orElse(null);
            if (same == null) {
                keptId = bootstrapId(hash);
                em.persist(new ApiToken(keptId, null, hash, prefix, details, now));
                em.flush();
                configured = BootstrapSettlement.Configured.ADDED;
            } else {
                keptId = same.getId();
                configured = !isBootstrapToken(same) ? BootstrapSettlement.Configured.OTHER_TOKEN
                        : same.getRevokedAt() != null ? BootstrapSettlement.Configured.REVOKED
                        : BootstrapSettlement.Configured.ACTIVE;
            }
        }
        List<BootstrapSettlement.Revoked> revoked = new ArrayList<>();
        List<ApiToken> active = em.createQuery("SELECT t FROM ApiToken t WHERE t.tenantSlug IS NULL"
                + " AND t.revokedAt IS NULL", ApiToken.class).getResultList();
        for (ApiToken token : active) {
            if (isBootstrapToken(token) && !token.getId().equals(keptId) && em.createQuery("UPDATE ApiToken t"
                            + " SET t.revokedAt = :now, t.version = t.version + 1"
                            + " WHERE t.id = :id AND t.revokedAt IS NULL")
                    .setParameter("now", now).setParameter("id", token.getId()).executeUpdate() == 1) {
                revoked.add(new BootstrapSettlement.Revoked(token.getId(), token.getHash()));
            }
        }
        return new BootstrapSettlement(configured, keptId, revoked);
    }

    private static boolean isBootstrapToken(ApiToken token) {
        return token.getTenantSlug() == null && token.getId().startsWith(BOOTSTRAP_ID_PREFIX);
    }

    /** Whether any global admin token is active, so the first start knows whether to make one. */
    public boolean hasActiveGlobalAdmin() {
        Instant now = clock.instant();
        return db.read(em -> em.createQuery("SELECT t FROM ApiToken t WHERE t.tenantSlug IS NULL"
                        + " AND t.revokedAt IS NULL", ApiToken.class).getResultList())
                .stream().anyMatch(t -> t.statusAt(now) == TokenStatus.ACTIVE && t.getScopes().contains(Scopes.ADMIN));
    }
}
