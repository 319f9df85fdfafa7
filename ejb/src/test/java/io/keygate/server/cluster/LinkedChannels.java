package io.keygate.server.cluster;

import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

/**
 * In-memory {@link ClusterChannel}s linked to each other, as servers of one cluster: what one sends, every other one
 * receives at once, on the sender's thread; never the sender itself. Once {@link #hold()} is called, messages wait
 * for {@link #deliver()}, to play an engine that is late (a database polled every 100 ms). For tests of what is
 * built on a channel.
 *
 * <pre>
 * LinkedChannels cluster = new LinkedChannels();
 * ClusterChannel one = cluster.join();
 * ClusterChannel two = cluster.join();
 * </pre>
 */
public final class LinkedChannels {

    private final List<Member> members = new CopyOnWriteArrayList<>();
    private final List<ClusterMessage> sent = new CopyOnWriteArrayList<>();
    private final List<Runnable> held = new ArrayList<>();
    private boolean holding;
    private volatile long deliveryMillis;

    /** A new server's channel, linked to those that joined before and after it. */
    public ClusterChannel join() {
        Member member = new Member();
        members.add(member);
        return member;
    }

    /** What every member says a message may take to arrive ({@link ClusterChannel#deliveryMillis()}); 0 at first. */
    public void deliveryMillis(long millis) {
        deliveryMillis = millis;
    }

    /** From now on messages wait for {@link #deliver()}. */
    public synchronized void hold() {
        holding = true;
    }

    /** Delivers every message held so far, in the order sent. */
    public void deliver() {
        List<Runnable> due;
        synchronized (this) {
            due = new ArrayList<>(held);
            held.clear();
        }
        due.forEach(Runnable::run);
    }

    /** Every message sent so far, by any member, in the order sent. */
    public List<ClusterMessage> sent() {
        return List.copyOf(sent);
    }

    private final class Member implements ClusterChannel {

        private final String serverId = UUID.randomUUID().toString();
        private final Receivers receivers = new Receivers();
        private volatile boolean closed;

        @Override
        public String serverId() {
            return serverId;
        }

        @Override
        public String engine() {
            return "linked";
        }

        @Override
        public long deliveryMillis() {
            return deliveryMillis;
        }

        @Override
        public int servers() {
            return members.size();
        }

        @Override
        public void send(ClusterMessage message) {
            if (closed) {
                return;
            }
            sent.add(message);
            for (Member member : members) {
                if (member != this) {
                    synchronized (LinkedChannels.this) {
                        if (holding) {
                            held.add(() -> member.receivers.deliver(message));
                            continue;
                        }
                    }
                    member.receivers.deliver(message);
                }
            }
        }


        @Override
        public void receive(String kind, Consumer<ClusterMessage> receiver) {
            receivers.set(kind, receiver);
        }

        @Override
        public void close() {
            closed = true;
            members.remove(this);
        }
    }
}
