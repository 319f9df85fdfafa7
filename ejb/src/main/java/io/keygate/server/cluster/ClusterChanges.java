package io.keygate.server.cluster;

import io.keygate.server.verify.ChangeLog;
import java.util.logging.Logger;

/**
 * A change that can take rights away from a token, told to the filters of every server: recorded in this server's
 * {@link ChangeLog} and sent to the other servers as a {@value #KIND} message, whose {@code keygate.war} records it
 * in its own log, and sends it no further. The store writes call this after the commit and before the admin API
 * answers, so this server's filters know before the client does, and the others within the engine's delay (well
 * under a second).
 *
 * <p>A body is one line: {@code token <hash>}, {@code secret <hash> <id>} or {@code tenant <slug>}; hashes, ids
 * and slugs hold no blank. Never a token: only its SHA-256.
 */
public final class ClusterChanges {

    public static final String KIND = "change";
    private static final Logger LOG = Logger.getLogger(ClusterChanges.class.getName());

    private final ChangeLog changes;
    private final ClusterChannel channel;

    /** Starts applying the changes other servers send on {@code channel} to {@code changes}. */
    public ClusterChanges(ChangeLog changes, ClusterChannel channel) {
        this.changes = changes;
        this.channel = channel;
        channel.receive(KIND, message -> apply(message.body()));
    }

    /** The token with this hash was revoked, or its expiry brought forward ({@link ChangeLog#tokenChanged}). */
    public void tokenChanged(String tokenHash) {
        changes.tokenChanged(tokenHash);
        send("token " + tokenHash);
    }

    /** The token with this hash and id, and every access token it issued, changed ({@link ChangeLog#secretChanged}). */
    public void secretChanged(String tokenHash, String tokenId) {
        changes.secretChanged(tokenHash, tokenId);
        send("secret " + tokenHash + " " + tokenId);
    }

    /** This tenant changed ({@link ChangeLog#tenantChanged}). */
    public void tenantChanged(String slug) {
        changes.tenantChanged(slug);
        send("tenant " + slug);
    }

    private void send(String body) {
        channel.send(new ClusterMessage(channel.serverId(), KIND, body));
    }

    /** Records another server's change here, without sending it on. */
    private void apply(String body) {
        String[] parts = body.split(" ");
        switch (parts[0]) {
            case "token" -> {
                if (parts.length == 2) {
                    changes.tokenChanged(parts[1]);
                    return;
                }
            }
            case "secret" -> {
                if (parts.length == 3) {
                    changes.secretChanged(parts[1], parts[2]);
                    return;
                }
            }
            case "tenant" -> {
                if (parts.length == 2) {
                    changes.tenantChanged(parts[1]);
                    return;
                }
            }
            default -> {
                // reported below
            }
        }
        // A newer keygate.war may send what this one does not know: the filters here see it when caches expire.
        LOG.warning(() -> "Keygate ignored a change of a kind it does not know from another server: '"
                + parts[0] + "'");
    }
}
