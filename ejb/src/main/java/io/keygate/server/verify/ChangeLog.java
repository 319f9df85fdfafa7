package io.keygate.server.verify;

import io.keygate.protocol.ChangeSet;
import io.keygate.protocol.VerifierProtocol;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The changes that can take rights away from a token, numbered by a generation that every filter on the server
 * reads before it trusts its cache ({@link VerifierProtocol#SUBSCRIBE}).
 *
 * <pre>
 * // after the commit (through ClusterChanges, which tells the other servers too)
 * tokens().revoke(slug, id).filter(Revocation::changed).map(Revocation::token)
 *         .ifPresent(t -&gt; changes.secretChanged(t.getHash(), t.getId()));
 * </pre>
 *
 * <p>The log is this server's: its filters read it. Changes come in through {@code ClusterChanges}, both those made
 * on this server (which it also sends to the other servers) and those the other servers send, so every server's
 * filters follow every change, the others' within the cluster engine's delay.
 *
 * <p>The admin API reports a change after the store committed it and before it answers, so a client that got the
 * answer and sends the next request finds the generation already moved. The entry is added before the
 * generation is incremented, both under this object's lock, which {@link #since} holds too: whoever sees the new
 * generation finds the entry that goes with it.
 *
 * <p>The log keeps the last {@code capacity} changes (4096 in {@code keygate.war}, a few hundred kilobytes at
 * most), one entry per change however many tokens it ends: an API secret's access tokens are named by the
 * secret's id ({@link #secretChanged}), never one by one. A filter that fell further behind is told the answer
 * is incomplete and clears its whole cache, which is always safe. {@link #retire} sets the generation to
 * {@link VerifierProtocol#RETIRED_GENERATION} for good when {@code keygate.war} stops: every filter notices on its next
 * request, drops what it cached and subscribes to the verifier deployed next, which starts a log (and a
 * generation object) of its own.
 */
public class ChangeLog {

    /** How many changes {@code keygate.war} keeps. */
    public static final int CAPACITY = 4096;

    /** One change: a token hash, a tenant's slug, or an API secret's hash and id, at the generation it produced. */
    private record Change(long generation, String tokenHash, String tenant, String secret) {
    }

    private final String id = UUID.randomUUID().toString();
    private final AtomicLong generation = new AtomicLong();
    private final Deque<Change> log = new ArrayDeque<>();
    private final int capacity;

    public ChangeLog(int capacity) {
        if (capacity < 1) {
            throw new IllegalArgumentException("capacity must be positive");
        }
        this.capacity = capacity;
    }

    /**
     * Names this log among all that {@code keygate.war} ever started: a filter that follows the generation over
     * HTTP, and so cannot hold this log's generation object, sees from a new name that its numbering started again.
     */
    public String id() {
        return id;
    }

    /** The generation every filter watches; the same object for every caller. */
    public AtomicLong generation() {
        return generation;
    }

    /** The token with this hash was revoked, or its expiry brought forward by a rotation. */
    public void tokenChanged(String tokenHash) {
        record(tokenHash, null, null);
    }

    /**
     * The token with this hash and id, and so every access token it issued, was revoked, rotated or changed: one
     * entry, however many access tokens it has, because they follow their secret (the store decides them by it) and
     * a filter forgets them by the secret's id. Also right for a token that issued none, an access token included.
     */
    public void secretChanged(String tokenHash, String tokenId) {
        record(tokenHash, null, tokenId);
    }

    /** This tenant changed: its API access, or anything else that may matter to its tokens. */
    public void tenantChanged(String slug) {
        record(null, slug, null);
    }

    /**
     * Every change after {@code since}, as {@link VerifierProtocol#CHANGES_SINCE} answers it; incomplete when the log
     * no longer reaches back that far.
     */
    public synchronized ChangeSet since(long since) {
        long current = generation.get();
        Change oldest = log.peekFirst();
        boolean complete = current >= 0 && since >= 0 && since <= current
                && (since == current || (oldest != null && oldest.generation() <= since + 1));
        List<String> tokens = new ArrayList<>();
        List<String> tenants = new ArrayList<>();
        List<String> secrets = new ArrayList<>();
        if (complete) {
            for (Change change : log) {
                if (change.generation() > since) {
                    addIfPresent(tokens, change.tokenHash());
                    addIfPresent(tenants, change.tenant());
                    addIfPresent(secrets, change.secret());
                }
            }
        }
        return new ChangeSet(current, tokens, tenants, secrets, complete);
    }

    /** {@code keygate.war} is stopping: the generation becomes {@link VerifierProtocol#RETIRED_GENERATION}, for good. */
    public synchronized void retire() {
        generation.set(VerifierProtocol.RETIRED_GENERATION);
        log.clear();
    }

    /** Whether {@link #retire} was called: one volatile read. */
    public boolean isRetired() {
        return generation.get() < 0;
    }

    private static void addIfPresent(List<String> list, String value) {
        if (value != null) {
            list.add(value);
        }
    }

    private synchronized void record(String tokenHash, String tenant, String secret) {
        long current = generation.get();
        if (current < 0) {
            return;
        }
        log.addLast(new Change(current + 1, tokenHash, tenant, secret));
        if (log.size() > capacity) {
            log.removeFirst();
        }
        generation.set(current + 1);
    }
}
