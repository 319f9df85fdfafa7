package io.keygate.server.cluster;

import java.util.UUID;
import java.util.function.Consumer;

/** The channel of a server that is alone: nothing to send to, nothing to receive. */
public final class SoloChannel implements ClusterChannel {

    private final String serverId = UUID.randomUUID().toString();

    @Override
    public String serverId() {
        return serverId;
    }

    @Override
    public String engine() {
        return "none";
    }

    @Override
    public long deliveryMillis() {
        return 0;
    }

    @Override
    public int servers() {
        return 1;
    }

    @Override
    public void send(ClusterMessage message) {
        // alone: nobody to tell
    }

    @Override
    public void receive(String kind, Consumer<ClusterMessage> receiver) {
        // alone: nothing ever arrives
    }

    @Override
    public void close() {
        // nothing held
    }
}
