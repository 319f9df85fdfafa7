package io.keygate.server.store;

import jakarta.persistence.TypedQuery;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/** Tenants: created, listed, renamed and switched on or off. */
public class TenantStore {

    private final Database db;
    private final Clock clock;

    public TenantStore(Database db, Clock clock) {
        this.db = db;
        this.clock = clock;
    }

    /**
     * Creates a tenant with API access on; {@link ConflictException} when the slug is taken.
     *
     * @param maxTokenLifetime the tenant's token lifetime policy, or {@code null} for none
     */
    public Tenant create(String slug, String name, Duration maxTokenLifetime) {
        return db.inTransaction(em -> {
            if (em.find(Tenant.class, slug) != null) {
                throw new ConflictException("a tenant with slug '" + slug + "' already exists");
            }
            Tenant tenant = new Tenant(slug, name, clock.instant());
            tenant.setMaxTokenLifetime(maxTokenLifetime);
            em.persist(tenant);
            return tenant;
        });
    }

    public Optional<Tenant> find(String slug) {
        return Optional.ofNullable(db.read(em -> em.find(Tenant.class, slug)));
    }

    /**
     * Applies {@code changes} in one transaction.
     *
     * @return the changed tenant, or empty when there is no such tenant
     */
    public Optional<Tenant> update(String slug, TenantChanges changes) {
        return Optional.ofNullable(db.inTransaction(em -> {
            Tenant tenant = em.find(Tenant.class, slug);
            if (tenant != null) {
                changes.applyTo(tenant);
            }
            return tenant;
        }));
    }

    /** Newest first, {@code limit} per page, starting after {@code after} (or at the newest). */
    public Page<Tenant> list(int limit, Cursor after) {
        List<Tenant> rows = db.read(em -> {
            TypedQuery<Tenant> query;
            if (after == null) {
                query = em.createQuery("SELECT t FROM Tenant t ORDER BY t.createdAt DESC, t.slug DESC", Tenant.class);
            } else {
                query = em.createQuery("SELECT t FROM Tenant t WHERE " + Pages.after("t", "slug")
                                + " ORDER BY t.createdAt DESC, t.slug DESC", Tenant.class)
                        .setParameter("createdAt", after.createdAt())
                        .setParameter("key", after.key());
            }
            return query.setMaxResults(limit + 1).getResultList();
        });
        return Pages.of(rows, limit, t -> new Cursor(t.getCreatedAt(), t.getSlug()));
    }
}
