package io.keygate.server.cluster;

import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.function.Consumer;

/**
 * Two {@link ClusterChannel}s linked in memory, as two servers of one cluster: what one sends, the other receives.
 * Delivered at once on the sender's thread, or, once {@link #hold()} is called, only when {@link #deliver()} is, to
 * play an engine that is late (a database polled every 100 ms).
 */
final class LinkedChannels {

    final End first = new End();
    final End second = new End();
    private final List<Runnable> held = new ArrayList<>();
    private boolean holding;

    LinkedChannels() {
        first.peer = second;
        second.peer = first;
    }

    /** From now on messages wait for {@link #deliver()}. */
    synchronized void hold() {
        holding = true;
    }

    /** Delivers every message held so far, in the order sent. */
    void deliver() {
        List<Runnable> due;
        synchronized (this) {
            due = new ArrayList<>(held);
            held.clear();
        }
        due.forEach(Runnable::run);
    }

    /** One server's end of the link. */
    final class End implements ClusterChannel {

        private final String serverId = UUID.randomUUID().toString();
        private End peer;
        private volatile Consumer<ClusterMessage> receiver = message -> { };
        /** Every message sent from this end. */
        final List<ClusterMessage> sent = new ArrayList<>();

        @Override
        public String serverId() {
            return serverId;
        }

        @Override
        public String engine() {
            return "linked";
        }

        @Override
        public int servers() {
            return 2;
        }

        @Override
        public void send(ClusterMessage message) {
            synchronized (LinkedChannels.this) {
                sent.add(message);
                if (holding) {
                    held.add(() -> peer.receiver.accept(message));
                    return;
                }
            }
            peer.receiver.accept(message);
        }

        @Override
        public void receive(Consumer<ClusterMessage> receiver) {
            this.receiver = receiver;
        }

        @Override
        public void close() {
            receiver = message -> { };
        }
    }
}
