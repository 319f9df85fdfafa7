package io.keygate.it;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * The server a server-neutral test class runs against, with {@code keygate.war} and {@code sample.war} deployed,
 * started once per test run (failsafe execution), however many classes use it, and stopped when the run ends.
 *
 * <p>Which server is the failsafe system property {@code keygate.it.server}: {@code wildfly} (the distribution the
 * build unpacked, {@code keygate-wildfly.war}; {@link WildFlyProcess}), {@code payara-micro}
 * ({@code keygate.war}; {@link MicroProcess}) or {@code payara-server} (the distribution the build unpacked,
 * {@code keygate.war} deployed by {@code asadmin}; {@link PayaraServerProcess}). Every server's environment has the
 * admin token and, on Payara Micro and Payara Server, a data folder in {@code target}; on WildFly the store's default
 * location is tested as it is.
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
        Map<String, String> environment = Map.of("KEYGATE_ADMIN_TOKEN", KeygateIT.ADMIN_TOKEN);
        Path sampleWar = Path.of(KeygateIT.requiredProperty("keygate.it.sample-war"));
        long begin = System.nanoTime();
        Running running;
        switch (server) {
            case "wildfly" -> {
                WildFlyProcess wildFly = WildFlyProcess.start(
                        Path.of(KeygateIT.requiredProperty("keygate.it.wildfly.home")),
                        Path.of(KeygateIT.requiredProperty("keygate.it.wildfly.base")),
                        Integer.parseInt(KeygateIT.requiredProperty("keygate.it.wildfly.port-offset")),
                        Map.of("keygate-wildfly.war", Path.of(KeygateIT.requiredProperty("keygate.it.wildfly-war")),
                                "sample.war", sampleWar),
                        environment);
                running = new Running(server, URI.create(wildFly.baseUrl()), wildFly.serverLog(),
                        Optional.of(wildFly.dataDir().resolve("keygate/keygate.mv.db")), wildFly);
                awaitOrStop(running, () -> wildFly.awaitDeployed(START_TIMEOUT));
            }
            case "payara-micro" -> {
                int port = Integer.parseInt(KeygateIT.requiredProperty("keygate.it.micro.port"));
                Path data = Path.of(KeygateIT.requiredProperty("keygate.it.remote.work"), "walk-through-data");
                MicroProcess micro = MicroProcess.start("walk-through", port,
                        List.of(Path.of(KeygateIT.requiredProperty("keygate.it.keygate-war")), sampleWar),
                        Map.of("KEYGATE_ADMIN_TOKEN", KeygateIT.ADMIN_TOKEN, "KEYGATE_DATA_DIR", data.toString()),
                        List.of());
                running = new Running(server, URI.create("http://127.0.0.1:" + port + "/"), micro.log(),
                        Optional.empty(), micro);
                awaitOrStop(running, () -> micro.awaitReady(START_TIMEOUT));
            }
            case "payara-server" -> running = startPayaraServer(sampleWar);
            default -> throw new IllegalStateException("keygate.it.server must be wildfly, payara-micro or"
                    + " payara-server, got '"
                    + server + "'");
        }
        System.out.printf("SERVER %s started with keygate.war and sample.war deployed in %d ms%n", server,
                Duration.ofNanos(System.nanoTime() - begin).toMillis());
        return running;
    }

    /**
     * Payara Server: the domain started with the admin token and a store folder inside the domain (Payara Server
     * has no data folder of its own for applications; the default would be the home of the user running it), then
     * both WARs deployed with {@code asadmin deploy}, each at the context root it is documented at.
     */
    private static Running startPayaraServer(Path sampleWar) {
        Path domains = Path.of(KeygateIT.requiredProperty("keygate.it.payara-server.domains"));
        PayaraServerProcess payara = PayaraServerProcess.start(
                Path.of(KeygateIT.requiredProperty("keygate.it.payara-server.home")),
                Path.of(KeygateIT.requiredProperty("keygate.it.payara-server.template")), domains,
                Integer.parseInt(KeygateIT.requiredProperty("keygate.it.payara-server.port-base")),
                Map.of("KEYGATE_ADMIN_TOKEN", KeygateIT.ADMIN_TOKEN, "KEYGATE_DATA_DIR",
                        domains.resolve(PayaraServerProcess.DOMAIN).resolve("keygate-data").toString()));
        Running running = new Running("payara-server", URI.create(payara.baseUrl()), payara.serverLog(),
                Optional.empty(), payara);
        awaitOrStop(running, () -> {
            payara.asadmin().run("deploy", "--contextroot", "keygate",
                    KeygateIT.requiredProperty("keygate.it.keygate-war"));
            payara.asadmin().run("deploy", "--contextroot", "sample", sampleWar.toString());
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
