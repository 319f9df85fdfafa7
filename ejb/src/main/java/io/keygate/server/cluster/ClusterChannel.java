package io.keygate.server.cluster;

import java.util.function.Consumer;

/**
 * How the {@code keygate.war} of one server tells the others what they must know at once: a change that takes
 * rights away from a token (so every filter on every server forgets it) and the requests and failures each server
 * counted (so a token's {@code rateLimit} and the brute-force throttle hold across the cluster). Engines that exist
 * carry it: Payara's Hazelcast data grid where the server has one, the shared database where it has not.
 *
 * <p>A message is delivered at most once to every other live server, in the order that server sent them; never
 * back to its sender. A server that joins later sees only what is sent after it joined. Receivers must therefore
 * treat every message as a hint that is safe to apply twice or to miss (a missed change is bounded by the filters'
 * cache lifetime; a missed count by the window it belongs to).
 */
public interface ClusterChannel extends AutoCloseable {

    /** Names this server among the cluster's for as long as this {@code keygate.war} runs. */
    String serverId();

    /** The engine's name for logs and statistics: {@code hazelcast}, {@code database} or {@code none}. */
    String engine();

    /** How many servers are live now, this one included: at least 1. */
    int servers();

    /**
     * How long a message may take to reach every other live server, at most. The share rule of rate limits counts on
     * the other servers' confirmations, and on this bound only for a server that does not confirm (it stopped, or runs
     * an older {@code keygate.war}). A few milliseconds on a data grid; about two polls when the others poll a table.
     */
    long deliveryMillis();

    /**
     * Sends {@code message} to every other server. Returns once the engine has taken it; a change sent before the
     * admin API answers is on its way before the client gets the answer.
     */
    void send(ClusterMessage message);

    /**
     * Sets the one receiver of other servers' messages of {@code kind}, called on the engine's own thread: so that
     * each kind's owner takes its own ({@code change}, {@code counts}) without one receiver replacing another's.
     */
    void receive(String kind, Consumer<ClusterMessage> receiver);

    /** Stops sending and receiving; never throws. */
    @Override
    void close();
}
