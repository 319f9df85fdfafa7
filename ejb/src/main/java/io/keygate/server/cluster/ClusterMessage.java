package io.keygate.server.cluster;

/**
 * One message between servers.
 *
 * @param sender the sending server's {@link ClusterChannel#serverId()}
 * @param kind   what the body is, so each receiver takes its own: {@code change}, {@code counts}
 * @param body   the content, text (at most {@value #MAX_BODY_CHARS} characters), written and read by the kind's owner
 */
public record ClusterMessage(String sender, String kind, String body) {

    /** The longest body every engine carries: the database engine's column holds no more. */
    public static final int MAX_BODY_CHARS = 8000;

    public ClusterMessage {
        if (sender == null || kind == null || body == null) {
            throw new IllegalArgumentException("a cluster message has a sender, a kind and a body");
        }
    }
}
