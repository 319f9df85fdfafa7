package io.keygate.server.cluster;

/**
 * One message between servers.
 *
 * @param sender the sending server's {@link ClusterChannel#serverId()}
 * @param kind   what the body is, so each receiver takes its own: {@code change}, {@code counts}
 * @param body   the content, text (at most a few kilobytes), written and read by the kind's owner
 */
public record ClusterMessage(String sender, String kind, String body) {

    public ClusterMessage {
        if (sender == null || kind == null || body == null) {
            throw new IllegalArgumentException("a cluster message has a sender, a kind and a body");
        }
    }
}
