package io.keygate.server.store;

import jakarta.persistence.TypedQuery;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

/** Writes audit events and lists them newest first, per tenant or all of them. */
public class AuditStore {

    private final Database db;

    public AuditStore(Database db) {
        this.db = db;
    }

    public void append(Collection<AuditEvent> events) {
        if (events.isEmpty()) {
            return;
        }
        db.inTransaction(em -> {
            events.forEach(em::persist);
            return null;
        });
    }

    /** Events of {@code tenantSlug} ({@code null}: every event), newest first. */
    public Page<AuditEvent> list(String tenantSlug, int limit, Cursor after) {
        List<AuditEvent> rows = db.read(em -> {
            List<String> conditions = new ArrayList<>();
            if (tenantSlug != null) {
                conditions.add("e.tenantSlug = :tenant");
            }
            if (after != null) {
                conditions.add("(e.createdAt < :createdAt OR (e.createdAt = :createdAt AND e.id < :id))");
            }
            String where = conditions.isEmpty() ? "" : " WHERE " + String.join(" AND ", conditions);
            TypedQuery<AuditEvent> query = em.createQuery("SELECT e FROM AuditEvent e" + where
                    + " ORDER BY e.createdAt DESC, e.id DESC", AuditEvent.class);
            if (tenantSlug != null) {
                query.setParameter("tenant", tenantSlug);
            }
            if (after != null) {
                query.setParameter("createdAt", after.createdAt()).setParameter("id", after.key());
            }
            return query.setMaxResults(limit + 1).getResultList();
        });
        return Pages.of(rows, limit, e -> new Cursor(e.getCreatedAt(), e.getId()));
    }
}
