package io.keygate.server.cluster;

import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

/**
 * In-memory {@link ClusterChannel}s linked to each other, as servers of one cluster: what one sends, every other one
 * receives at once, on the sender's thread; never the sender itself. Once {@link #hold()} is called, messages wait
 * for {@link #deliver()}, to play an engine that is late (a database polled every 100 ms); {@link #hold(ClusterChannel,
 * ClusterChannel)} holds one direction only, and {@link #deliverTo} plays one server's poll. Each server receives in
 * the order sent. For tests of what is built on a channel.
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
    private final List<Held> held = new ArrayList<>();
    private final List<List<Member>> heldLinks = new ArrayList<>();
    private boolean holding;

    /** A message on its way to {@code to}. */
    private record Held(Member to, ClusterMessage message) {
    }
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

    /** From now on messages from {@code from} to {@code to} wait for {@link #deliver()} or {@link #deliverTo}. */
    public synchronized void hold(ClusterChannel from, ClusterChannel to) {
        heldLinks.add(List.of((Member) from, (Member) to));
    }

    /** Delivers every message held so far, in the order sent. */
    public void deliver() {
        List<Held> due;
        synchronized (this) {
            due = new ArrayList<>(held);
            held.clear();
        }
        due.forEach(message -> message.to().receivers.deliver(message.message()));
    }

    /** Delivers every message held so far for {@code to}, in the order sent: one poll of that server. */
    public void deliverTo(ClusterChannel to) {
        List<Held> due = new ArrayList<>();
        synchronized (this) {
            for (var all = held.iterator(); all.hasNext();) {
                Held message = all.next();
                if (message.to() == to) {
                    due.add(message);
                    all.remove();
                }
            }
        }
        due.forEach(message -> message.to().receivers.deliver(message.message()));
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
                        if (holding || heldLinks.contains(List.of(this, member))
                                || held.stream().anyMatch(waiting -> waiting.to() == member)) {
                            held.add(new Held(member, message));
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
