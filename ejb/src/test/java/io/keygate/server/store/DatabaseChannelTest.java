package io.keygate.server.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.keygate.server.cluster.ClusterMessage;
import io.keygate.server.cluster.DatabaseChannel;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Two servers' {@link DatabaseChannel}s on one real database, as two {@code keygate.war}s sharing a store: the same
 * tests on H2, PostgreSQL and MariaDB, one subclass each. Each channel polls every 10 ms on a thread of its own.
 */
abstract class DatabaseChannelTest {

    private Scratch scratch;
    private Database db;
    private ScheduledExecutorService scheduler;
    private DatabaseChannel one;
    private DatabaseChannel two;
    private final List<ClusterMessage> atOne = new CopyOnWriteArrayList<>();
    private final List<ClusterMessage> atTwo = new CopyOnWriteArrayList<>();

    abstract TestDatabase database();

    @BeforeEach
    void open() {
        scratch = database().createScratch();
        db = new Database(scratch.settings());
        db.connect();
        scheduler = Executors.newScheduledThreadPool(2);
        one = start();
        two = start();
        for (String kind : List.of("change", "counts")) {
            one.receive(kind, atOne::add);
            two.receive(kind, atTwo::add);
        }
    }

    private DatabaseChannel start() {
        return DatabaseChannel.start(new ClusterMessages(db, Clock.systemUTC()), scratch.name(), scheduler, 10);
    }

    @AfterEach
    void close() {
        if (one != null) {
            one.close();
            two.close();
        }
        if (scheduler != null) {
            scheduler.shutdownNow();
        }
        if (db != null) {
            db.close();
        }
        if (scratch != null) {
            scratch.close();
        }
    }

    @Test
    void eachServerGetsTheOthersMessagesInOrderAndNeverItsOwn() {
        one.send(new ClusterMessage(one.serverId(), "change", "token a"));
        one.send(new ClusterMessage(one.serverId(), "change", "token b"));
        two.send(new ClusterMessage(two.serverId(), "counts", "x=1"));

        await(() -> atTwo.size() == 2 && atOne.size() == 1);
        assertEquals(List.of(new ClusterMessage(one.serverId(), "change", "token a"),
                new ClusterMessage(one.serverId(), "change", "token b")), atTwo);
        assertEquals(List.of(new ClusterMessage(two.serverId(), "counts", "x=1")), atOne);
        pause(300); // heartbeats and polls go on: nothing more arrives, least of all a server's own message
        assertEquals(2, atTwo.size());
        assertEquals(1, atOne.size());
    }

    @Test
    void eachKindGoesToItsOwnReceiver() {
        List<ClusterMessage> changes = new CopyOnWriteArrayList<>();
        two.receive("change", changes::add);
        one.send(new ClusterMessage(one.serverId(), "change", "tenant acme"));
        one.send(new ClusterMessage(one.serverId(), "counts", "y=2"));

        await(() -> changes.size() == 1 && atTwo.size() == 1);
        assertEquals("tenant acme", changes.get(0).body());
        assertEquals("y=2", atTwo.get(0).body());
    }

    @Test
    void eachServerCountsTheLiveServersItHears() {
        await(() -> one.servers() == 2 && two.servers() == 2);
    }

    @Test
    void aRowThatCommitsAfterALaterOneIsNotMissed() throws Exception {
        try (Connection slow = scratch.connect()) {
            slow.setAutoCommit(false);
            insertRaw(slow, "slow-server", "change", "token early"); // numbered first, not committed yet
            one.send(new ClusterMessage(one.serverId(), "change", "token late")); // numbered after, committed

            await(() -> atTwo.size() == 1);
            assertEquals("token late", atTwo.get(0).body());
            pause(200); // polls went past the later row meanwhile
            slow.commit();
        }
        await(() -> atTwo.size() == 2 && atOne.size() == 1);
        assertEquals("token early", atTwo.get(1).body());
        assertEquals("token early", atOne.get(0).body());
    }

    @Test
    void messagesOlderThanAMinuteArePrunedByAServer() {
        Clock past = Clock.fixed(Instant.now().minus(Duration.ofMinutes(2)), ZoneOffset.UTC);
        new ClusterMessages(db, past).insert("gone-server", "change", "token old");
        one.send(new ClusterMessage(one.serverId(), "change", "token new"));

        DatabaseChannel third = start(); // prunes as it starts beating
        try {
            await(() -> count("token old") == 0);
            assertEquals(1, count("token new"));
        } finally {
            third.close();
        }
    }

    @Test
    void aBodyTooLongForTheTableIsDroppedNotThrown() {
        one.send(new ClusterMessage(one.serverId(), "counts", "x".repeat(ClusterMessage.MAX_BODY_CHARS + 1)));
        one.send(new ClusterMessage(one.serverId(), "counts", "x".repeat(ClusterMessage.MAX_BODY_CHARS)));

        await(() -> atTwo.size() == 1);
        assertEquals(ClusterMessage.MAX_BODY_CHARS, atTwo.get(0).body().length());
    }

    @Test
    void sendingWhenTheDatabaseIsClosedIsLoggedNotThrown() {
        db.close();
        one.send(new ClusterMessage(one.serverId(), "change", "token lost"));
        assertTrue(one.servers() >= 1);
    }

    private long count(String body) {
        return db.read(em -> em.createQuery("SELECT COUNT(m) FROM ClusterMessageRow m WHERE m.body = :body",
                Long.class).setParameter("body", body).getSingleResult());
    }

    private static void insertRaw(Connection connection, String sender, String kind, String body) throws Exception {
        String next = connection.getMetaData().getDatabaseProductName().contains("PostgreSQL")
                ? "nextval('KG_CLUSTER_MESSAGE_SEQ')" : "NEXT VALUE FOR KG_CLUSTER_MESSAGE_SEQ";
        String sql = "INSERT INTO KG_CLUSTER_MESSAGE (ID, SENDER, KIND, BODY, CREATED_AT) VALUES (" + next
                + ", ?, ?, ?, ?)";
        try (PreparedStatement insert = connection.prepareStatement(sql)) {
            insert.setString(1, sender);
            insert.setString(2, kind);
            insert.setString(3, body);
            insert.setLong(4, System.currentTimeMillis());
            insert.executeUpdate();
        }
    }

    private static void await(BooleanSupplier condition) {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (!condition.getAsBoolean()) {
            assertTrue(System.nanoTime() < deadline, "not within 10 s");
            pause(10);
        }
    }

    private static void pause(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
