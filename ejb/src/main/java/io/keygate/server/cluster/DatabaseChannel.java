package io.keygate.server.cluster;

import io.keygate.server.store.ClusterMessageRow;
import io.keygate.server.store.ClusterMessages;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.logging.Logger;

/**
 * The engine of servers that share only their database: each message is a row of {@code KG_CLUSTER_MESSAGE},
 * inserted in a short transaction of its own, and every server reads the rows of the others every
 * {@code keygate.cluster.poll-millis}. Rows committed out of order (ids are numbered when transactions begin)
 * are not missed ({@link ReadMark}); rows older than {@value #RETENTION_MILLIS} ms are deleted by any server.
 *
 * <p>A server is live while it sent anything in the last {@value #LIVE_MILLIS} ms: each sends a heartbeat row
 * every second unless it sent something else meanwhile. Nothing here throws into a caller: a database that is away
 * is reported once ({@link ChannelHealth}) and polling goes on; a message that could not be sent is lost, which
 * receivers tolerate (a missed change is bounded by the filters' cache lifetime).
 */
public final class DatabaseChannel implements ClusterChannel {

    static final String HEARTBEAT = "heartbeat";
    static final long HEARTBEAT_MILLIS = 1000;
    /** What a poll's query may add to the wait for a row, beyond the polls themselves. */
    static final long SLOW_QUERY_MILLIS = 100;
    static final long LIVE_MILLIS = 5000;
    static final long RETENTION_MILLIS = 60_000;
    /** How long a gap in the ids is waited for: far longer than the insert of one row takes to commit. */
    static final long PATIENCE_MILLIS = 5000;
    private static final int PRUNE_EVERY_HEARTBEATS = 10;
    private static final int PAGE = 1000;
    private static final Logger LOG = Logger.getLogger(DatabaseChannel.class.getName());

    private final String serverId = UUID.randomUUID().toString();
    private final ClusterMessages table;
    private final ChannelHealth health;
    private final Receivers receivers = new Receivers();
    /** Other servers by id, with when a row of theirs was last read ({@link System#nanoTime()}). */
    private final Map<String, Long> lastHeard = new ConcurrentHashMap<>();
    private final Object pollLock = new Object();
    private final ReadMark mark;
    /** When this server last sent a row; a second ago at first, so the first beat announces it at once. */
    private volatile long lastSent = System.nanoTime() - TimeUnit.MILLISECONDS.toNanos(HEARTBEAT_MILLIS);
    private volatile boolean closed;
    private volatile long deliveryMillis;
    private long heartbeats;
    private ScheduledFuture<?> polling;
    private ScheduledFuture<?> beating;

    private DatabaseChannel(ClusterMessages table, String description) {
        this.table = table;
        this.health = new ChannelHealth("the database (" + description + ")");
        this.mark = new ReadMark(table.highestId(), TimeUnit.MILLISECONDS.toNanos(PATIENCE_MILLIS));
    }

    /**
     * Reads where the table ends (so this server receives what is sent from now on), then polls every
     * {@code pollMillis} and beats every second on {@code scheduler}.
     *
     * @param description the store as a log line names it, never with a password
     * @throws RuntimeException when the table cannot be read: a deployment should fail then
     */
    public static DatabaseChannel start(ClusterMessages table, String description, ScheduledExecutorService scheduler,
            int pollMillis) {
        DatabaseChannel channel = new DatabaseChannel(table, description);
        // A row committed just after a poll began is read by the next one; a slow query adds to that.
        channel.deliveryMillis = 2L * pollMillis + SLOW_QUERY_MILLIS;
        channel.polling = scheduler.scheduleWithFixedDelay(channel::poll, pollMillis, pollMillis,
                TimeUnit.MILLISECONDS);
        channel.beating = scheduler.scheduleAtFixedRate(channel::beat, 0, HEARTBEAT_MILLIS, TimeUnit.MILLISECONDS);
        return channel;
    }

    @Override
    public String serverId() {
        return serverId;
    }

    @Override
    public String engine() {
        return "database";
    }

    @Override
    public long deliveryMillis() {
        return deliveryMillis;
    }

    @Override
    public int servers() {
        long now = System.nanoTime();
        long live = TimeUnit.MILLISECONDS.toNanos(LIVE_MILLIS);
        int servers = 1;
        for (long heard : lastHeard.values()) {
            if (now - heard < live) {
                servers++;
            }
        }
        return servers;
    }

    /** Inserts the message and commits it before returning; a failure is logged, never thrown. */
    @Override
    public void send(ClusterMessage message) {
        if (closed) {
            return;
        }
        if (message.body().length() > ClusterMessage.MAX_BODY_CHARS) {
            LOG.warning(() -> "Keygate did not send a '" + message.kind() + "' message of " + message.body().length()
                    + " characters to the other servers: at most " + ClusterMessage.MAX_BODY_CHARS + " fit");
            return;
        }
        try {
            table.insert(serverId, message.kind(), message.body());
            lastSent = System.nanoTime();
            health.succeeded();
        } catch (RuntimeException e) {
            health.failed("send to the other servers", e);
        }
    }


    @Override
    public void receive(String kind, Consumer<ClusterMessage> receiver) {
        receivers.set(kind, receiver);
    }

    /** Stops polling and beating, and waits for a poll or beat in progress, so nothing uses the store once it closes. */
    @Override
    public void close() {
        closed = true;
        if (polling != null) {
            polling.cancel(false);
            beating.cancel(false);
        }
        synchronized (pollLock) {
            receivers.clear();
        }
    }

    /** Reads every row above the floor, hands the new ones of other servers to the receivers. */
    private void poll() {
        synchronized (pollLock) {
            if (closed) {
                return;
            }
            try {
                long now = System.nanoTime();
                long cursor = mark.floor();
                List<ClusterMessageRow> page;
                do {
                    page = table.after(cursor, PAGE);
                    for (ClusterMessageRow row : page) {
                        cursor = row.getId();
                        if (mark.take(row.getId(), now) && !serverId.equals(row.getSender())) {
                            lastHeard.put(row.getSender(), now);
                            if (!HEARTBEAT.equals(row.getKind())) {
                                receivers.deliver(new ClusterMessage(row.getSender(), row.getKind(), row.getBody()));
                            }
                        }
                    }
                } while (page.size() == PAGE && !closed);
                mark.settle(now);
                health.succeeded();
            } catch (RuntimeException e) {
                health.failed("read the other servers' messages", e);
            }
        }
    }

    /** Every second: a heartbeat unless something was sent meanwhile; every tenth, prunes the table. */
    private void beat() {
        synchronized (pollLock) {
            if (closed) {
                return;
            }
            if (System.nanoTime() - lastSent >= TimeUnit.MILLISECONDS.toNanos(HEARTBEAT_MILLIS / 2)) {
                send(new ClusterMessage(serverId, HEARTBEAT, ""));
            }
            long now = System.nanoTime();
            lastHeard.values().removeIf(heard -> now - heard > TimeUnit.MILLISECONDS.toNanos(RETENTION_MILLIS));
            if (heartbeats++ % PRUNE_EVERY_HEARTBEATS == 0) {
                try {
                    table.prune(RETENTION_MILLIS);
                } catch (RuntimeException e) {
                    health.failed("delete old messages", e);
                }
            }
        }
    }
}
