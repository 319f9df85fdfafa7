package io.keygate.server.store;

import java.time.Clock;
import java.util.List;

/**
 * The table through which servers sharing this store send each other messages ({@link ClusterMessageRow}): each
 * insert is a short transaction of its own, readers page through it by id. Failures are the store's:
 * {@link StoreUnavailableException} when the database is away, logged once by the store.
 */
public class ClusterMessages {

    private final Database database;
    private final Clock clock;

    public ClusterMessages(Database database, Clock clock) {
        this.database = database;
        this.clock = clock;
    }

    /** Inserts a message and commits it; returns its id. */
    public long insert(String sender, String kind, String body) {
        return database.inTransaction(em -> {
            ClusterMessageRow row = new ClusterMessageRow(sender, kind, body, clock.millis());
            em.persist(row);
            em.flush();
            return row.getId();
        });
    }

    /** Up to {@code limit} messages with an id above {@code after}, lowest id first, whoever sent them. */
    public List<ClusterMessageRow> after(long after, int limit) {
        return database.read(em -> em.createQuery(
                "SELECT m FROM ClusterMessageRow m WHERE m.id > :after ORDER BY m.id", ClusterMessageRow.class)
                .setParameter("after", after).setMaxResults(limit).getResultList());
    }

    /** The highest id in the table, 0 when it is empty: where a reader that just started begins. */
    public long highestId() {
        Long highest = database.read(em -> em.createQuery("SELECT MAX(m.id) FROM ClusterMessageRow m", Long.class)
                .getSingleResult());
        return highest == null ? 0 : highest;
    }

    /** Deletes the messages created more than {@code ageMillis} ago by this server's clock; returns how many. */
    public int prune(long ageMillis) {
        long before = clock.millis() - ageMillis;
        return database.inTransaction(em -> em.createQuery(
                "DELETE FROM ClusterMessageRow m WHERE m.createdAt < :before")
                .setParameter("before", before).executeUpdate());
    }
}
