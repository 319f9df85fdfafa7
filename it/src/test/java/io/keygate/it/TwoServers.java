package io.keygate.it;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.extension.ConditionEvaluationResult;
import org.junit.jupiter.api.extension.ExecutionCondition;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Two Payara Micro servers, each with {@code keygate.war} and {@code sample.war}, storing into one database and
 * sharing one bootstrap admin token: what an admin runs behind a load balancer. Either clustered by Payara's
 * Hazelcast on loopback, or each with {@code --nocluster}, knowing of the other through the database only.
 *
 * <p>Both start at once (a start costs 10-20 s), and {@link #start} returns when both are ready and, when
 * clustered, when each sees the other ({@value #JOINED}).
 *
 * <p>Configured by failsafe system properties: {@code keygate.it.cluster.port1} and {@code .port2} (HTTP), with
 * those of {@link MicroProcess}.
 */
final class TwoServers implements AutoCloseable {

    /** What a clustered Payara Micro logs once its data grid has both members. */
    static final String JOINED = "DG Size: 2";
    /** Hazelcast on loopback only, on the two ports the servers take from 6900 on. */
    static final List<String> LOOPBACK_CLUSTER = List.of("--clustermode", "tcpip:127.0.0.1:6900,127.0.0.1:6901",
            "--interfaces", "127.0.0.1", "--startport", "6900");

    private static final Path KEYGATE_WAR = Path.of(KeygateIT.requiredProperty("keygate.it.keygate-war"));
    private static final Path SAMPLE_WAR = Path.of(KeygateIT.requiredProperty("keygate.it.sample-war"));
    private static final int[] PORTS = {
        Integer.parseInt(KeygateIT.requiredProperty(Configured.PROPERTY)),
        Integer.parseInt(KeygateIT.requiredProperty("keygate.it.cluster.port2"))};
    private static final Duration START_TIMEOUT = Duration.ofMinutes(3);

    private final MicroProcess[] servers;

    private TwoServers(MicroProcess[] servers) {
        this.servers = servers;
    }

    /**
     * Starts both servers on {@code database}, named {@code name-1} and {@code name-2}; {@code clustered} joins
     * them by Hazelcast ({@link #LOOPBACK_CLUSTER}), otherwise each runs with {@code --nocluster}.
     */
    static TwoServers start(String name, ScratchDatabase database, boolean clustered) {
        Map<String, String> environment = new HashMap<>();
        environment.put("KEYGATE_ADMIN_TOKEN", KeygateIT.ADMIN_TOKEN);
        environment.put("KEYGATE_DB_URL", database.url());
        environment.put("KEYGATE_DB_USER", database.user());
        // The delay measurements poll a refused token as fast as they can from one address: no 429 in their way.
        environment.put("KEYGATE_THROTTLE_MAX_FAILURES", "0");
        MicroProcess[] servers = new MicroProcess[2];
        TwoServers two = new TwoServers(servers);
        try {
            for (int i = 0; i < 2; i++) {
                String serverName = name + "-" + (i + 1);
                List<Path> wars = List.of(KEYGATE_WAR, SAMPLE_WAR);
                servers[i] = clustered
                        ? MicroProcess.startClustered(serverName, PORTS[i], wars, environment, LOOPBACK_CLUSTER)
                        : MicroProcess.start(serverName, PORTS[i], wars, environment, List.of());
            }
            for (MicroProcess server : servers) {
                server.awaitReady(START_TIMEOUT);
            }
            if (clustered) {
                for (MicroProcess server : servers) {
                    server.awaitLog(JOINED, Duration.ofMinutes(1));
                }
            }
            return two;
        } catch (RuntimeException | AssertionError e) {
            two.close();
            throw e;
        }
    }

    /** {@code path} of {@code sample.war} on server {@code n} (1 or 2), e.g. {@code /api/whoami}. */
    URI sample(int n, String path) {
        return root(n).resolve("/sample" + path);
    }

    /** The admin API of server {@code n} (1 or 2) with the bootstrap admin token. */
    AdminClient admin(int n) {
        return new AdminClient(root(n).resolve("/keygate/api/v1/"), KeygateIT.ADMIN_TOKEN);
    }

    /** Kills server {@code n} (1 or 2) with SIGKILL, as a crash would. */
    void kill(int n) {
        servers[n - 1].kill();
    }

    private static URI root(int n) {
        return URI.create("http://127.0.0.1:" + PORTS[n - 1] + "/");
    }

    @Override
    public void close() {
        for (MicroProcess server : servers) {
            if (server != null) {
                server.close();
            }
        }
    }

    /**
     * Runs a class only in the failsafe execution that configures these servers ({@code cluster}) and skips it in
     * the others, so that {@code -Dit.test=HazelcastClusterIT}, which every execution obeys, runs it once. Without
     * {@code -Dit.test} only {@code cluster} includes such a class, so a missing port there is a lost configuration:
     * a failure when {@value KeygateOnPostgres.Configured#REQUIRE}{@code =true} (CI), else a skip with the reason.
     */
    static final class Configured implements ExecutionCondition {

        static final String PROPERTY = "keygate.it.cluster.port1";

        @Override
        public ConditionEvaluationResult evaluateExecutionCondition(ExtensionContext context) {
            String port = System.getProperty(PROPERTY);
            if (port != null && !port.isBlank()) {
                return ConditionEvaluationResult.enabled(PROPERTY + " is set");
            }
            String reason = PROPERTY + " is not set: runs in the failsafe execution cluster only";
            String selected = System.getProperty(KeygateOnPostgres.Configured.SELECTED_TESTS);
            if (selected != null && !selected.isBlank()) {
                return ConditionEvaluationResult.disabled(reason + " (-Dit.test runs it in every execution)");
            }
            if ("true".equalsIgnoreCase(System.getenv(KeygateOnPostgres.Configured.REQUIRE))) {
                throw new IllegalStateException(reason + ", and no other execution includes it: its configuration"
                        + " is missing");
            }
            return ConditionEvaluationResult.disabled(reason + " (skipped)");
        }
    }
}
