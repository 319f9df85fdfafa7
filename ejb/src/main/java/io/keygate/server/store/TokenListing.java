package io.keygate.server.store;

import jakarta.persistence.EntityManager;
import jakarta.persistence.Query;
import jakarta.persistence.TypedQuery;
import java.time.Instant;
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
 *
 * <p>A status filter is one more condition on the same scan, the rule of {@link ApiToken#statusAt} in the query
 * (revoked when {@code revokedAt} is set, else expired once {@code expiresAt <= now}, else active), so a filtered
 * page is as full as an unfiltered one and its cursor goes on within the filter. The index does not hold the
 * status: a filter that matches few tokens reads past the others to fill its page.
 */
final class TokenListing {

    private TokenListing() {
    }

    /** What a listing shows: whose tokens, from where, how many, and only those of one status (any when null). */
    record Request(String tenantSlug, int rows, Cursor after, TokenStatus status, Instant now) {
    }

    /** Up to {@code rows} tokens of the tenant ({@code null}: global admin tokens) after {@code after}. */
    static List<ApiToken> read(EntityManager em, boolean mariaDb, Request request) {
        return mariaDb ? sql(em, request) : jpql(em, request);
    }

    /** The condition that a token has {@code status} at the instant {@code now}, in the given column names. */
    private static String status(TokenStatus status, String revokedAt, String expiresAt, String now) {
        if (status == null) {
            return "";
        }
        return switch (status) {
            case REVOKED -> " AND " + revokedAt + " IS NOT NULL";
            case EXPIRED -> " AND " + revokedAt + " IS NULL AND " + expiresAt + " <= " + now;
            case ACTIVE -> " AND " + revokedAt + " IS NULL AND (" + expiresAt + " IS NULL OR " + expiresAt + " > "
                    + now + ")";
        };
    }

    private static boolean comparesNow(TokenStatus status) {
        return status == TokenStatus.EXPIRED || status == TokenStatus.ACTIVE;
    }

    private static List<ApiToken> jpql(EntityManager em, Request request) {
        String tenantSlug = request.tenantSlug();
        Cursor after = request.after();
        String owner = (tenantSlug == null ? "t.tenantSlug IS NULL" : "t.tenantSlug = :tenant")
                + " AND t.parentId IS NULL" + status(request.status(), "t.revokedAt", "t.expiresAt", ":now");
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
        if (comparesNow(request.status())) {
            query.setParameter("now", request.now());
        }
        return query.setMaxResults(request.rows()).getResultList();
    }

    private static List<ApiToken> sql(EntityManager em, Request request) {
        String tenantSlug = request.tenantSlug();
        Cursor after = request.after();
        List<Object> parameters = new ArrayList<>();
        StringBuilder sql = new StringBuilder("SELECT * FROM KG_TOKEN FORCE INDEX (KG_TOKEN_TENANT_CREATED) WHERE ");
        if (tenantSlug == null) {
            sql.append("TENANT_SLUG IS NULL");
        } else {
            sql.append("TENANT_SLUG = ?");
            parameters.add(tenantSlug);
        }
        sql.append(" AND PARENT_ID IS NULL").append(status(request.status(), "REVOKED_AT", "EXPIRES_AT", "?"));
        if (comparesNow(request.status())) {
            // Instants are stored as epoch milliseconds (InstantMillisConverter); a whole millisecond is <= now
            // exactly when it is <= now cut to the millisecond, so this agrees with ApiToken#statusAt.
            parameters.add(request.now().toEpochMilli());
        }
        if (after != null) {
            long createdAt = after.createdAt().toEpochMilli();
            sql.append(" AND CREATED_AT <= ? AND (CREATED_AT < ? OR (CREATED_AT = ? AND ID < ?))");
            parameters.addAll(List.of(createdAt, createdAt, createdAt, after.key()));
        }
        sql.append(" ORDER BY CREATED_AT DESC, ID DESC LIMIT ?");
        parameters.add(request.rows());
        Query query = em.createNativeQuery(sql.toString(), ApiToken.class);
        for (int i = 0; i < parameters.size(); i++) {
            query.setParameter(i + 1, parameters.get(i));
        }
        return ((List<?>) query.getResultList()).stream().map(ApiToken.class::cast).toList();
    }
}
