package io.keygate.it;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * The server a server-neutral test class runs against, with {@code keygate.war}, {@code sample.war} and the other
 * WARs of the suite ({@link SuiteWars}) deployed, started once per test run (failsafe execution), however many
 * classes use it, and stopped when the run ends.
 *
 * <p>Which server is the failsafe system property {@code keygate.it.server}: {@code wildfly} (the distribution the
 * build unpacked, {@code keygate-wildfly.war}; {@link WildFlyProcess}), {@code payara-micro}
 * ({@code keygate.war}; {@link MicroProcess}) or {@code payara-server} (the distribution the build unpacked,
 * {@code keygate.war} deployed by {@code asadmin}; {@link PayaraServerProcess}). Every server's environment has the
 * admin token, loopback as a trusted proxy and, on Payara Micro and Payara Server, a data folder in {@code target};
 * on WildFly the store's default location is tested as it is.
 *
 * <pre>
 * &#64;RegisterExtension
 * static final ServerUnderTest SERVER = new ServerUnderTest();
 * ... SERVER.running().uri("/sample/api/whoami") ...
 * </pre>
 */
final class ServerUnderTest implements BeforeAllCallback {

    private static final ExtensionContext.Namespace NAMESPACE = ExtensionContext.Namespace.create(ServerUnderTest.class);
    private static final Duration START_TIMEOUT = Duration.ofMinutes(3);

    private Running running;

    @Override
    public void beforeAll(ExtensionContext context) {
        running = context.getRoot().getStore(NAMESPACE)
                .getOrComputeIfAbsent(Running.class, type -> start(), Running.class);
    }

    /** The server, once {@link #beforeAll} has run. */
    Running running() {
        return running;
    }

    private static Running start() {
        String server = KeygateIT.requiredProperty("keygate.it.server");
        Map<String, Path> wars = SuiteWars.export(Path.of(KeygateIT.requiredProperty("keygate.it.sample-war")));
        long begin = System.nanoTime();
        Running running = switch (server) {
            case "wildfly" -> startWildFly(wars);
            case "payara-micro" -> startPayaraMicro(wars);
            case "payara-server" -> startPayaraServer(wars);
            default -> throw new IllegalStateException("keygate.it.server must be wildfly, payara-micro or"
                    + " payara-server, got '" + server + "'");
        };
        System.out.printf("SERVER %s started with keygate.war and %s deployed in %d ms%n", server, wars.keySet(),
                Duration.ofNanos(System.nanoTime() - begin).toMillis());
        return running;
    }

    /**
     * What every server's environment has: the bootstrap admin token, loopback as a trusted proxy, so a test names a
     * remote client with {@code X-Forwarded-For} while its traffic stays on loopback, and live tokens counted every
     * second for the metrics ({@link ServerMetricsIT}; 60 by default).
     */
    private static Map<String, String> environment(Map<String, String> more) {
        Map<String, String> environment = new LinkedHashMap<>(more);
        environment.put("KEYGATE_ADMIN_TOKEN", KeygateIT.ADMIN_TOKEN);
        environment.put("KEYGATE_TRUSTED_PROXIES", "127.0.0.1, ::1");
        environment.put("KEYGATE_METRICS_LIVE_TOKENS_SECONDS", "1");
        return environment;
    }

    /** WildFly: the distribution the build unpacked, every WAR in its deployments folder, the store's default place. */
    private static Running startWildFly(Map<String, Path> wars) {
        Map<String, Path> deployments = new LinkedHashMap<>();
        deployments.put("keygate-wildfly.war", Path.of(KeygateIT.requiredProperty("keygate.it.wildfly-war")));
        deployments.putAll(wars);
        WildFlyProcess wildFly = WildFlyProcess.start(
                Path.of(KeygateIT.requiredProperty("keygate.it.wildfly.home")),
                Path.of(KeygateIT.requiredProperty("keygate.it.wildfly.base")),
                Integer.parseInt(KeygateIT.requiredProperty("keygate.it.wildfly.port-offset")),
                deployments, environment(Map.of()));
        Running running = new Running("wildfly", URI.create(wildFly.baseUrl()), wildFly.serverLog(),
                Optional.of(wildFly.dataDir().resolve("keygate/keygate.mv.db")), wildFly);
        awaitOrStop(running, () -> wildFly.awaitDeployed(START_TIMEOUT));
        return running;
    }

    /** Payara Micro in a JVM of its own, every WAR deployed with {@code --deploy}, the store in {@code target}. */
    private static Running startPayaraMicro(Map<String, Path> wars) {
        int port = Integer.parseInt(KeygateIT.requiredProperty("keygate.it.micro.port"));
        Path data = Path.of(KeygateIT.requiredProperty("keygate.it.remote.work"), "every-server-data");
        List<Path> deployments = new ArrayList<>();
        deployments.add(Path.of(KeygateIT.requiredProperty("keygate.it.keygate-war")));
        deployments.addAll(wars.values());
        MicroProcess micro = MicroProcess.start("every-server", port, deployments,
                environment(Map.of("KEYGATE_DATA_DIR", data.toString())), List.of());
        Running running = new Running("payara-micro", URI.create("http://127.0.0.1:" + port + "/"), micro.log(),
                Optional.empty(), micro);
        awaitOrStop(running, () -> micro.awaitReady(START_TIMEOUT));
        return running;
    }

    /**
     * Payara Server: the domain started with a store folder inside the domain (Payara Server has no data folder of
     * its own for applications; the default would be the home of the user running it), then every WAR deployed
     * with {@code asadmin deploy}, each at the context root it is documented at.
     */
    private static Running startPayaraServer(Map<String, Path> wars) {
        Path domains = Path.of(KeygateIT.requiredProperty("keygate.it.payara-server.domains"));
        PayaraServerProcess payara = PayaraServerProcess.start(
                Path.of(KeygateIT.requiredProperty("keygate.it.payara-server.home")),
                Path.of(KeygateIT.requiredProperty("keygate.it.payara-server.template")), domains,
                Integer.parseInt(KeygateIT.requiredProperty("keygate.it.payara-server.port-base")),
                environment(Map.of("KEYGATE_DATA_DIR",
                        domains.resolve(PayaraServerProcess.DOMAIN).resolve("keygate-data").toString())));
        Running running = new Running("payara-server", URI.create(payara.baseUrl()), payara.serverLog(),
                Optional.empty(), payara);
        awaitOrStop(running, () -> {
            payara.asadmin().run("deploy", "--contextroot", "keygate",
                    KeygateIT.requiredProperty("keygate.it.keygate-war"));
            wars.forEach((name, war) -> payara.asadmin().run("deploy", "--contextroot",
                    name.substring(0, name.length() - ".war".length()), war.toString()));
        });
        return running;
    }

    private static void awaitOrStop(Running running, Runnable await) {
        try {
            await.run();
        } catch (RuntimeException | AssertionError e) {
            running.close();
            throw e;
        }
    }

    /**
     * A started server: where it answers, its log, and where its default H2 store should be (only when the test
     * leaves the store's location to the server's default).
     */
    record Running(String name, URI root, Path log, Optional<Path> defaultStoreFile, AutoCloseable process)
            implements ExtensionContext.Store.CloseableResource {

        URI uri(String path) {
            return root.resolve(path);
        }

        /**
         * Stops the server (SIGTERM) and prints what it logged of Keygate at warning level or above while it
         * stopped, in lines starting {@code SERVER LOG}: no test is left to fail once the run ends.
         */
        @Override
        public void close() {
            long before = ServerLog.lineCount(log);
            try {
                process.close();
            } catch (Exception e) {
                throw new IllegalStateException("cannot stop " + name, e);
            }
            ServerLog.keygateWarnings(log, before).forEach(line -> System.out.println("SERVER LOG " + name
                    + " while stopping: " + line));
        }
    }
}
