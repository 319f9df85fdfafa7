package io.keygate.server.cluster;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The receivers an engine hands other servers' messages to: one per kind; a kind without one is dropped. A receiver
 * that throws loses that message only: the engine's thread goes on delivering.
 */
public final class Receivers {

    private static final Logger LOG = Logger.getLogger(Receivers.class.getName());

    private final Map<String, Consumer<ClusterMessage>> byKind = new ConcurrentHashMap<>();

    /** The receiver of {@code kind}. */
    public void set(String kind, Consumer<ClusterMessage> receiver) {
        if (receiver == null) {
            byKind.remove(kind);
        } else {
            byKind.put(kind, receiver);
        }
    }

    /** Forgets every receiver: the channel is closed. */
    public void clear() {
        byKind.clear();
    }

    /** Hands {@code message} to its kind's receiver; never throws. */
    public void deliver(ClusterMessage message) {
        try {
            Consumer<ClusterMessage> receiver = byKind.get(message.kind());
            if (receiver != null) {
                receiver.accept(message);
            }
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "Keygate could not apply a '" + message.kind() + "' message from server "
                    + message.sender(), e);
        }
    }
}
