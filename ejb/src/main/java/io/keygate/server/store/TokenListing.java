package io.keygate.server.store;

import jakarta.persistence.EntityManager;
import jakarta.persistence.Query;
import jakarta.persistence.TypedQuery;
import java.util.ArrayList;
import java.util.List;

/**
 * The token listing of a tenant (the tokens admins created, not the access tokens they issued), newest first from
 * a cursor: one range scan of index {@code KG_TOKEN_TENANT_CREATED (TENANT_SLUG, PARENT_ID, CREATED_AT, ID)}
 * from the cursor on, so page 9 000 costs what page 1 costs.
 *
 * <p>H2 and PostgreSQL plan the JPQL that way (PostgreSQL thanks to its spelt-out {@code ORDER BY}). MariaDB
 * 10.11 does not: it scans from the newest row through
 * {@code KG_TOKEN_PARENT} (or this index without its last two columns) and filters, reading every row newer than
 * the cursor (half a minute for a page in the middle of 10<sup>6</sup> tokens). On MariaDB the same query is
 * written in SQL with {@code FORCE INDEX}.
 */
final class TokenListing {

    private TokenListing() {
    }

    /** Up to {@code rows} tokens of {@code tenantSlug} ({@code null}: global admin tokens) after {@code after}. */
    static List<ApiToken> read(EntityManager em, boolean mariaDb, String tenantSlug, int rows, Cursor after) {
        return mariaDb ? sql(em, tenantSlug, rows, after) : jpql(em, tenantSlug, rows, after);
    }

    private static List<ApiToken> jpql(EntityManager em, String tenantSlug, int rows, Cursor after) {
        String owner = (tenantSlug == null ? "t.tenantSlug IS NULL" : "t.tenantSlug = :tenant")
                + " AND t.parentId IS NULL";
        String position = after == null ? "" : " AND " + Pages.after("t", "id");
        // Tenant and parent are the same on every row, so ordering by them changes nothing; but it spells out the
        // index's own order, which PostgreSQL needs to read the index backwards rather than sort every row of
        // the tenant (it does not count "PARENT_ID IS NULL" as fixing that column).
        TypedQuery<ApiToken> query = em.createQuery("SELECT t FROM ApiToken t WHERE " + owner + position
                + " ORDER BY t.tenantSlug DESC, t.parentId DESC, t.createdAt DESC, t.id DESC", ApiToken.class);
        if (tenantSlug != null) {
            query.setParameter("tenant", tenantSlug);
        }
        if (after != null) {
            query.setParameter("createdAt", after.createdAt()).setParameter("key", after.key());
        }
        return query.setMaxResults(rows).getResultList();
    }

    private static List<ApiToken> sql(EntityManager em, String tenantSlug, int rows, Cursor after) {
        List<Object> parameters = new ArrayList<>();
        StringBuilder sql = new StringBuilder("SELECT * FROM KG_TOKEN FORCE INDEX (KG_TOKEN_TENANT_CREATED) WHERE ");
        if (tenantSlug == null) {
            sql.append("TENANT_SLUG IS NULL");
        } else {
            sql.append("TENANT_SLUG = ?");
            parameters.add(tenantSlug);
        }
        sql.append(" AND PARENT_ID IS NULL");
        if (after != null) {
            long createdAt = after.createdAt().toEpochMilli();
            sql.append(" AND CREATED_AT <= ? AND (CREATED_AT < ? OR (CREATED_AT = ? AND ID < ?))");
            parameters.addAll(List.of(createdAt, createdAt, createdAt, after.key()));
        }
        sql.append(" ORDER BY CREATED_AT DESC, ID DESC LIMIT ?");
        parameters.add(rows);
        Query query = em.createNativeQuery(sql.toString(), ApiToken.class);
        for (int i = 0; i < parameters.size(); i++) {
            query.setParameter(i + 1, parameters.get(i));
        }
        return ((List<?>) query.getResultList()).stream().map(ApiToken.class::cast).toList();
    }
}
