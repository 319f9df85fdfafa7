package io.keygate.server.cluster;

import io.keygate.config.ConfigLookup;
import io.keygate.config.ConfigValues;
import jakarta.servlet.ServletException;
import java.util.Locale;
import java.util.Optional;

/**
 * How this {@code keygate.war} shares changes with the other servers, read once at start-up with the other settings
 * ({@code ServerConfiguration}); a bad value fails the deployment with a message naming the key.
 *
 * <table>
 * <caption>Configuration keys</caption>
 * <tr><th>key</th><th>default</th><th>meaning</th></tr>
 * <tr><td>{@value #ENGINE}</td><td>{@code auto}</td><td>{@code auto}, {@code hazelcast}, {@code database} or
 * {@code none}</td></tr>
 * <tr><td>{@value #POLL_MILLIS}</td><td>{@value #DEFAULT_POLL_MILLIS}</td><td>how often the database engine reads
 * the other servers' messages, 10 to 10 000</td></tr>
 * <tr><td>{@value ClusterCounts#PERIOD_MILLIS}</td><td>{@value ClusterCounts#DEFAULT_PERIOD_MILLIS}</td><td>how
 * often the request and failure counts are sent to the other servers, 1 to 10 000</td></tr>
 * </table>
 *
 * @param engine     the engine asked for
 * @param pollMillis   how often the database engine polls
 * @param countsMillis how often {@link ClusterCounts} sends this server's counts
 */
public record ClusterSettings(Engine engine, int pollMillis, int countsMillis) {

    public static final String ENGINE = "keygate.cluster.engine";
    public static final String POLL_MILLIS = "keygate.cluster.poll-millis";
    static final int DEFAULT_POLL_MILLIS = 100;
    private static final int MIN_POLL_MILLIS = 10;
    private static final int MAX_POLL_MILLIS = 10_000;

    /** The engines {@value #ENGINE} names. */
    public enum Engine {
        /** Payara's Hazelcast when it clusters, else the database when it is a shared server, else none. */
        AUTO,
        /** Payara's Hazelcast data grid; the deployment fails without it. */
        HAZELCAST,
        /** A table of the token store, polled. */
        DATABASE,
        /** No sharing: the server is alone. */
        NONE
    }

    /** Reads the keys; a bad value is an exception whose message names the key and the value. */
    public static ClusterSettings read(ConfigLookup config) throws ServletException {
        return new ClusterSettings(engine(ConfigValues.text(config, ENGINE)), pollMillis(config),
                ClusterCounts.periodMillis(config));
    }

    /**
     * The engine to run: {@link Engine#AUTO} becomes Payara's grid when the server has one running that clusters,
     * else the database
     * when it is a server that several servers can share, else none.
     *
     * @param grid         whether Payara's Hazelcast runs on this server
     * @param gridClusters whether it is set up to find other servers (not so with Payara Micro's --nocluster)
     * @param gridAbsent   why it does not run or cluster, for the message when it was asked for
     * @param sharedStore  whether the store is a database server (PostgreSQL, MariaDB, a server data source) rather
     *                     than an embedded H2, which only one server can open
     * @throws IllegalStateException when {@link Engine#HAZELCAST} was asked for and no Hazelcast runs (one that
     *                               does not cluster is taken: it may find servers later)
     */
    public Engine choose(boolean grid, boolean gridClusters, String gridAbsent, boolean sharedStore) {
        return switch (engine) {
            case AUTO -> grid && gridClusters ? Engine.HAZELCAST : sharedStore ? Engine.DATABASE : Engine.NONE;
            case HAZELCAST -> {
                if (!grid) {
                    throw new IllegalStateException(ENGINE + "=hazelcast, but " + gridAbsent + "; set " + ENGINE
                            + " to database, none or auto");
                }
                yield Engine.HAZELCAST;
            }
            default -> engine;
        };
    }

    private static Engine engine(Optional<String> text) throws ServletException {
        if (text.isEmpty()) {
            return Engine.AUTO;
        }
        try {
            return Engine.valueOf(text.get().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw ConfigValues.invalid(ENGINE, text.get(), "expected auto, hazelcast, database or none");
        }
    }

    private static int pollMillis(ConfigLookup config) throws ServletException {
        return ConfigValues.number(config, POLL_MILLIS, DEFAULT_POLL_MILLIS, MIN_POLL_MILLIS, MAX_POLL_MILLIS);
    }
}
