package io.keygate.server.store;

import java.util.Map;

/**
 * Writes the uses that the filters counted into the tokens' rows ({@code usageCount}, {@code lastUsedAt}), in one
 * transaction per batch. Counting uses is no change of a token: the version stays as it is, so that an admin's
 * change of a busy token never loses with 409 to the usage written every couple of seconds. (EclipseLink raises the
 * version in a JPQL bulk update that does not set it; JPA leaves it to the application, section 4.10.)
 */
public final class UsageWrites {

    private static final String ADD_USAGE = "UPDATE ApiToken t SET t.usageCount = t.usageCount + :count,"
            + " t.lastUsedAt = :lastUsed, t.version = t.version WHERE t.id = :id";

    private final Database db;

    public UsageWrites(Database db) {
        this.db = db;
    }

    /** Adds counted uses in one transaction; the caller keeps the counts if this throws. */
    public void add(Map<String, Usage> usageByTokenId) {
        if (usageByTokenId.isEmpty()) {
            return;
        }
        db.inTransaction(em -> {
            usageByTokenId.forEach((id, usage) -> em.createQuery(ADD_USAGE)
                    .setParameter("count", usage.count())
                    .setParameter("lastUsed", usage.lastUsed())
                    .setParameter("id", id)
                    .executeUpdate());
            return null;
        });
    }
}
