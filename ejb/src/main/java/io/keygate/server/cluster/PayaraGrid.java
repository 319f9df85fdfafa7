package io.keygate.server.cluster;

import javax.naming.InitialContext;
import javax.naming.NamingException;

/**
 * Finds the Hazelcast instance Payara Server and Payara Micro give applications at {@value #JNDI}, without naming a
 * Hazelcast type: it first checks that Hazelcast's classes are visible to {@code keygate.war}, and only then loads
 * {@link HazelcastChannel}, so on a server without them (WildFly) nothing fails to load.
 *
 * @param instance the running instance, or {@code null}
 * @param clusters whether that instance is set up to find other servers ({@link HazelcastChannel#clusters})
 * @param absent   why there is no instance, or why it does not cluster, for a log line or a deployment failure
 */
record PayaraGrid(Object instance, boolean clusters, String absent) {

    static final String JNDI = "payara/Hazelcast";
    private static final String INSTANCE_CLASS = "com.hazelcast.core.HazelcastInstance";

    /** Looks the grid up. */
    static PayaraGrid find() {
        try {
            Class.forName(INSTANCE_CLASS, false, PayaraGrid.class.getClassLoader());
        } catch (ClassNotFoundException | LinkageError e) {
            return new PayaraGrid(null, false, "Hazelcast's classes are not visible to keygate.war (not a Payara server)");
        }
        Object found;
        try {
            found = new InitialContext().lookup(JNDI);
        } catch (NamingException e) {
            return new PayaraGrid(null, false, "the server binds no Hazelcast instance at JNDI " + JNDI
                    + " (Payara's data grid is disabled)");
        }
        if (found == null || !HazelcastChannel.isRunning(found)) {
            return new PayaraGrid(null, false, "the Hazelcast instance at JNDI " + JNDI + " is not running ("
                    + (found == null ? "null" : found.getClass().getName()) + ")");
        }
        if (!HazelcastChannel.clusters(found)) {
            return new PayaraGrid(found, false, "Payara's Hazelcast runs without clustering (as with Payara Micro's"
                    + " --nocluster)");
        }
        return new PayaraGrid(found, true, null);
    }

    boolean present() {
        return instance != null;
    }

    /** The grid's members now. */
    int members() {
        return HazelcastChannel.members(instance);
    }

    /** A channel on the grid's topic. */
    ClusterChannel join() {
        return HazelcastChannel.attach(instance);
    }
}
