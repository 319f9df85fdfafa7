package io.keygate.server.store;

import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * How many tokens of each tenant work now, for the metrics: the tokens its listing shows (API tokens and secrets, not
 * the short-lived access tokens they issue) that are neither revoked nor expired. A tenant whose API access is off
 * keeps its count: its tokens come back when it is switched on. Global tokens belong to no tenant and are not counted.
 *
 * <p>Two queries, the tenants' slugs (so that a tenant with none shows 0) and one grouped over the token table: the
 * caller asks every so often, never per request.
 */
public final class LiveTokens {

    private static final String LIVE_PER_TENANT = "SELECT t.tenantSlug, COUNT(t) FROM ApiToken t"
            + " WHERE t.tenantSlug IS NOT NULL AND t.parentId IS NULL AND t.revokedAt IS NULL"
            + " AND (t.expiresAt IS NULL OR t.expiresAt > :now) GROUP BY t.tenantSlug";

    private final Database db;
    private final Clock clock;

    public LiveTokens(Database db, Clock clock) {
        this.db = db;
        this.clock = clock;
    }

    /** Every tenant's slug and its live tokens now, 0 for a tenant with none. */
    public Map<String, Long> perTenant() {
        return db.read(em -> {
            Map<String, Long> counts = new TreeMap<>();
            em.createQuery("SELECT t.slug FROM Tenant t", String.class).getResultList()
                    .forEach(slug -> counts.put(slug, 0L));
            List<Object[]> rows = em.createQuery(LIVE_PER_TENANT, Object[].class)
                    .setParameter("now", clock.instant()).getResultList();
            for (Object[] row : rows) {
                counts.put((String) row[0], ((Number) row[1]).longValue());
            }
            return counts;
        });
    }
}
