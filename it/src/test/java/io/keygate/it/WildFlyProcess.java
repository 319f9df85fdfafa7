package io.keygate.it;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A WildFly server in a process of its own, started from the distribution the build unpacked, as an administrator
 * would run it: {@code bin/standalone.sh}, WARs dropped into the deployments folder, the configuration in the
 * environment.
 *
 * <p>Each start gets a fresh copy of the distribution's {@code standalone} folder ({@code jboss.server.base.dir}),
 * so no state of an earlier run remains and the distribution itself stays untouched. It listens on 127.0.0.1 only,
 * with every port moved by {@code portOffset}, so it runs beside the Payara Micro servers of other tests.
 */
final class WildFlyProcess implements AutoCloseable {

    /** WildFly has started ({@code WFLYSRV0025}), or started with errors ({@code WFLYSRV0026}). */
    private static final List<String> STARTED = List.of("WFLYSRV0025", "WFLYSRV0026");

    /** How often {@code standalone.xml} has WildFly look into its deployments folder. */
    static final int DEFAULT_SCAN_MILLIS = 5000;

    private final Path base;
    private final int httpPort;
    private final Process process;
    private final List<String> deployments;

    private WildFlyProcess(Path base, int httpPort, Process process, List<String> deployments) {
        this.base = base;
        this.httpPort = httpPort;
        this.process = process;
        this.deployments = deployments;
    }

    /**
     * Starts the WildFly of {@code home} with its base folder at {@code base} (emptied first) and {@code wars}
     * in its deployments folder, under the name each map key gives, and {@code environment} added to the test's
     * (less its {@code KEYGATE_*} variables).
     * Returns at once; see {@link #awaitDeployed}.
     */
    static WildFlyProcess start(Path home, Path base, int portOffset, Map<String, Path> wars,
            Map<String, String> environment) {
        return start(home, base, portOffset, wars, environment, DEFAULT_SCAN_MILLIS);
    }

    /**
     * {@link #start(Path, Path, int, Map, Map)} with the deployments folder scanned every {@code scanMillis}
     * instead of every {@value #DEFAULT_SCAN_MILLIS}, for a test that deploys and undeploys while the server runs.
     */
    static WildFlyProcess start(Path home, Path base, int portOffset, Map<String, Path> wars,
            Map<String, String> environment, int scanMillis) {
        try {
            Folders.delete(base);
            Folders.copy(home.resolve("standalone"), base);
            if (scanMillis != DEFAULT_SCAN_MILLIS) {
                scanEvery(base.resolve("configuration/standalone.xml"), scanMillis);
            }
            for (Map.Entry<String, Path> war : wars.entrySet()) {
                Files.copy(war.getValue(), base.resolve("deployments").resolve(war.getKey()),
                        StandardCopyOption.REPLACE_EXISTING);
            }
            List<String> command = new ArrayList<>(List.of("sh", home.resolve("bin/standalone.sh").toString(),
                    "-b", "127.0.0.1", "-bmanagement", "127.0.0.1",
                    "-Djboss.socket.binding.port-offset=" + portOffset,
                    "-Djboss.server.base.dir=" + base));
            ProcessBuilder builder = new ProcessBuilder(command)
                    .redirectErrorStream(true)
                    .redirectOutput(base.resolve("console.log").toFile());
            // Keygate's configuration is what the caller gives, none that the test JVM was started with.
            builder.environment().keySet().removeIf(name -> name.startsWith("KEYGATE_"));
            builder.environment().put("JAVA_HOME", System.getProperty("java.home"));
            // The script forwards SIGTERM to the server's JVM instead of leaving it behind when it is stopped.
            builder.environment().put("LAUNCH_JBOSS_IN_BACKGROUND", "true");
            builder.environment().putAll(environment);
            WildFlyProcess wildFly = new WildFlyProcess(base, 8080 + portOffset, builder.start(),
                    List.copyOf(wars.keySet()));
            // Should the test JVM be stopped before the run ends (a failsafe timeout, Ctrl-C), WildFly goes with it.
            Runtime.getRuntime().addShutdownHook(new Thread(wildFly::close, "stop WildFly"));
            return wildFly;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start WildFly in " + base, e);
        }
    }

    /**
     * Waits until WildFly has started and every WAR is deployed; fails with the tail of the log when the server
     * died, a WAR failed (its {@code .failed} marker and what WildFly wrote in it), or time ran out.
     */
    void awaitDeployed(Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!started() || !allDeployed()) {
            if (!process.isAlive()) {
                throw new AssertionError("WildFly stopped while starting:\n" + tail());
            }
            for (String war : deployments) {
                Path failed = base.resolve("deployments").resolve(war + ".failed");
                if (Files.exists(failed)) {
                    throw new AssertionError(war + " failed to deploy on WildFly: " + read(failed) + "\n" + tail());
                }
            }
            if (System.nanoTime() > deadline) {
                throw new AssertionError("WildFly not started with every WAR deployed after " + timeout + ":\n"
                        + tail());
            }
            sleep(200);
        }
    }

    /**
     * Waits until WildFly says it has started, with errors or without (a WAR that failed to deploy does not stop
     * it); fails when the server died or time ran out. Then see {@link #deployments()} for each WAR's marker.
     */
    void awaitStarted(Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!started()) {
            if (!process.isAlive()) {
                throw new AssertionError("WildFly stopped while starting:\n" + tail());
            }
            if (System.nanoTime() > deadline) {
                throw new AssertionError("WildFly not started after " + timeout + ":\n" + tail());
            }
            sleep(100);
        }
    }

    /** Its deployments folder, to deploy and undeploy while it runs. */
    DeploymentsFolder deployments() {
        return new DeploymentsFolder(base.resolve("deployments"));
    }

    /** Whether the server process is still running. */
    boolean alive() {
        return process.isAlive();
    }

    /** {@code http://127.0.0.1:<port>/}. */
    String baseUrl() {
        return "http://127.0.0.1:" + httpPort + "/";
    }

    /** The server's own log, {@code log/server.log} of its base folder. */
    Path serverLog() {
        return base.resolve("log/server.log");
    }

    /** The server's data folder, {@code jboss.server.data.dir}. */
    Path dataDir() {
        return base.resolve("data");
    }

    /** Stops the server as an administrator would (SIGTERM) and waits for it to be gone. */
    @Override
    public void close() {
        if (!process.isAlive()) {
            return;
        }
        process.destroy();
        try {
            if (!process.waitFor(60, TimeUnit.SECONDS)) {
                process.descendants().forEach(ProcessHandle::destroyForcibly);
                process.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            process.descendants().forEach(ProcessHandle::destroyForcibly);
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }

    private boolean started() {
        String log = read(base.resolve("console.log"));
        return STARTED.stream().anyMatch(log::contains);
    }

    private boolean allDeployed() {
        return deployments.stream().allMatch(war -> Files.exists(base.resolve("deployments").resolve(war + ".deployed")));
    }

    private String tail() {
        List<String> lines = read(base.resolve("console.log")).lines().toList();
        return String.join("\n", lines.subList(Math.max(0, lines.size() - 60), lines.size()));
    }

    private static String read(Path file) {
        try {
            return Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            return "";
        }
    }

    private static void scanEvery(Path standaloneXml, int millis) throws IOException {
        String configuration = Files.readString(standaloneXml, StandardCharsets.UTF_8);
        String scan = "scan-interval=\"" + DEFAULT_SCAN_MILLIS + "\"";
        if (!configuration.contains(scan)) {
            throw new IllegalStateException("no " + scan + " in " + standaloneXml);
        }
        Files.writeString(standaloneXml, configuration.replace(scan, "scan-interval=\"" + millis + "\""),
                StandardCharsets.UTF_8);
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted", e);
        }
    }
}
