package io.keygate.server.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.keygate.config.ConfigLookup;
import io.keygate.server.cluster.ClusterSettings.Engine;
import jakarta.servlet.ServletException;
import java.util.HashMap;
import java.util.Map;
import java.util.Properties;
import org.junit.jupiter.api.Test;

class ClusterSettingsTest {

    private static ClusterSettings read(Map<String, String> environment) throws ServletException {
        return ClusterSettings.read(new ConfigLookup(ClusterSettingsTest.class.getClassLoader(), null,
                new HashMap<>(environment), new Properties()));
    }

    @Test
    void unsetMeansAutoPolledEveryTenthOfASecond() throws ServletException {
        assertEquals(new ClusterSettings(Engine.AUTO, 100, 25), read(Map.of()));
        assertEquals(new ClusterSettings(Engine.AUTO, 100, 25), read(Map.of("KEYGATE_CLUSTER_ENGINE", " ")));
    }

    @Test
    void everyEngineIsNamedInAnyCase() throws ServletException {
        assertEquals(Engine.HAZELCAST, read(Map.of("KEYGATE_CLUSTER_ENGINE", "Hazelcast")).engine());
        assertEquals(Engine.DATABASE, read(Map.of("KEYGATE_CLUSTER_ENGINE", "database")).engine());
        assertEquals(Engine.NONE, read(Map.of("KEYGATE_CLUSTER_ENGINE", "NONE")).engine());
        assertEquals(250, read(Map.of("KEYGATE_CLUSTER_POLL_MILLIS", "250")).pollMillis());
    }

    @Test
    void aBadValueFailsWithTheKeyInTheMessage() {
        ServletException engine = assertThrows(ServletException.class,
                () -> read(Map.of("KEYGATE_CLUSTER_ENGINE", "redis")));
        assertTrue(engine.getMessage().contains("keygate.cluster.engine=\"redis\""), engine.getMessage());
        for (String bad : new String[] {"5", "10001", "fast"}) {
            ServletException poll = assertThrows(ServletException.class,
                    () -> read(Map.of("KEYGATE_CLUSTER_POLL_MILLIS", bad)));
            assertTrue(poll.getMessage().contains("keygate.cluster.poll-millis"), poll.getMessage());
        }
    }

    @Test
    void autoTakesAClusteringGridThenASharedDatabaseThenNone() {
        ClusterSettings auto = new ClusterSettings(Engine.AUTO, 100, 25);
        assertEquals(Engine.HAZELCAST, auto.choose(true, true, null, true));
        assertEquals(Engine.DATABASE, auto.choose(true, false, "no clustering", true), "Payara Micro --nocluster");
        assertEquals(Engine.DATABASE, auto.choose(false, false, "not Payara", true));
        assertEquals(Engine.NONE, auto.choose(false, false, "not Payara", false), "embedded H2: one server");
        assertEquals(Engine.NONE, auto.choose(true, false, "no clustering", false));
    }

    @Test
    void hazelcastAskedForWithoutItFailsTheDeploymentSayingWhy() {
        ClusterSettings hazelcast = new ClusterSettings(Engine.HAZELCAST, 100, 25);
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> hazelcast.choose(false, false, "Hazelcast's classes are not visible", true));
        assertTrue(e.getMessage().contains("keygate.cluster.engine=hazelcast")
                && e.getMessage().contains("Hazelcast's classes are not visible"), e.getMessage());
        assertEquals(Engine.HAZELCAST, hazelcast.choose(true, false, "no clustering", false));
        assertEquals(Engine.DATABASE, new ClusterSettings(Engine.DATABASE, 100, 25).choose(true, true, null, false));
        assertEquals(Engine.NONE, new ClusterSettings(Engine.NONE, 100, 25).choose(true, true, null, true));
    }
}
