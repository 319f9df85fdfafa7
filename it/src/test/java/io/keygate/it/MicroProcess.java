package io.keygate.it;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * A Payara Micro server in a JVM of its own, started by a test that needs more than Arquillian gives: two
 * servers at once, or a server to stop and start again. Its output goes to a log file the test can search.
 *
 * <pre>
 * try (MicroProcess server = MicroProcess.start("outage", 18701, List.of(keygateWar), Map.of(...), List.of())) {
 *     server.awaitReady(Duration.ofMinutes(2));
 *     ...
 * }
 * </pre>
 *
 * <p>Configured by failsafe system properties: {@code payara.microJar} (the server) and
 * {@code keygate.it.remote.work} (where runtime directories and logs go). Each server runs with
 * {@code --nocluster}, so servers started by different tests never join one another (nor look for members on
 * the network), unless a test clusters them on loopback itself ({@link #startClustered}), and {@code --disablephonehome}, so no server sends usage data to Payara's site: the tests' traffic
 * stays on loopback.
 */
final class MicroProcess implements AutoCloseable {

    private static final Path MICRO_JAR = Path.of(KeygateIT.requiredProperty("payara.microJar"));
    private static final Path WORK = Path.of(KeygateIT.requiredProperty("keygate.it.remote.work"));
    /** What Payara Micro logs once it has deployed everything ("... ready in 9,871 (ms)"). */
    private static final String READY = " ready in ";

    private final String name;
    private final Path log;
    private final Process process;
    /** Where this start's output begins in {@link #log}, which a restart appends to. */
    private final int startLine;

    private MicroProcess(String name, Path log, int startLine, Process process) {
        this.name = name;
        this.log = log;
        this.startLine = startLine;
        this.process = process;
    }

    /**
     * Starts Payara Micro on {@code port} with {@code wars} deployed (each at its file name's context root), the
     * test's environment plus {@code environment}, and {@code extraArguments} on its command line. Returns at
     * once; see {@link #awaitReady}.
     */
    static MicroProcess start(String name, int port, List<Path> wars, Map<String, String> environment,
            List<String> extraArguments) {
        return start(name, port, wars, environment, extraArguments, List.of("--nocluster"));
    }

    /**
     * As {@link #start(String, int, List, Map, List)}, but joining the Payara Micro cluster that
     * {@code clusterArguments} describe (e.g. {@code --clustermode tcpip:127.0.0.1:6900,127.0.0.1:6901
     * --interfaces 127.0.0.1 --startport 6900}: loopback only) instead of running with {@code --nocluster}.
     */
    static MicroProcess startClustered(String name, int port, List<Path> wars, Map<String, String> environment,
            List<String> clusterArguments) {
        return start(name, port, wars, environment, List.of(), clusterArguments);
    }

    private static MicroProcess start(String name, int port, List<Path> wars, Map<String, String> environment,
            List<String> extraArguments, List<String> clusterArguments) {
        try {
            Path home = Files.createDirectories(WORK.resolve(name));
            Path tmp = Files.createDirectories(home.resolve("tmp"));
            Path log = home.resolve("server.log");
            int startLine = Files.exists(log) ? Files.readAllLines(log, StandardCharsets.UTF_8).size() : 0;
            List<String> command = new ArrayList<>(List.of(
                    Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                    "-Xmx512m", "-Djava.io.tmpdir=" + tmp,
                    "-jar", MICRO_JAR.toString()));
            command.addAll(clusterArguments);
            command.addAll(List.of("--disablephonehome", "--port", Integer.toString(port),
                    "--rootdir", home.resolve("runtime").toString()));
            for (Path war : wars) {
                command.add("--deploy");
                command.add(war.toString());
            }
            command.addAll(extraArguments);
            ProcessBuilder builder = new ProcessBuilder(command)
                    .redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
            builder.environment().putAll(environment);
            return new MicroProcess(name, log, startLine, builder.start());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start Payara Micro " + name, e);
        }
    }

    /**
     * Waits until Payara Micro says it is ready (it says so once every application is deployed); fails with the
     * tail of the log when the server died or did not get there in time.
     */
    void awaitReady(Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!logContains(READY)) {
            if (!process.isAlive()) {
                throw new AssertionError("Payara Micro " + name + " stopped while starting:\n" + tail());
            }
            if (System.nanoTime() > deadline) {
                throw new AssertionError("Payara Micro " + name + " not ready after " + timeout + ":\n" + tail());
            }
            sleep(250);
        }
    }

    /**
     * Waits until the log of this start has a line with {@code text} (e.g. {@code DG Size: 2} once a clustered
     * server sees its peer); fails with the tail of the log when the server died or did not say it in time.
     */
    void awaitLog(String text, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!logContains(text)) {
            if (!process.isAlive()) {
                throw new AssertionError("Payara Micro " + name + " stopped before logging '" + text + "':\n"
                        + tail());
            }
            if (System.nanoTime() > deadline) {
                throw new AssertionError("Payara Micro " + name + " did not log '" + text + "' within " + timeout
                        + ":\n" + tail());
            }
            sleep(250);
        }
    }

    /** The server's console output: everything it logged. */
    Path log() {
        return log;
    }

    /** Stops the server as an administrator would (SIGTERM) and waits for it to be gone. */
    void stop() {
        process.destroy();
        try {
            if (!process.waitFor(60, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }

    /**
     * Kills the server as a crash or {@code kill -9} would (SIGKILL: no shutdown hook, nothing written on the way
     * out) and waits for it to be gone.
     */
    void kill() {
        process.destroyForcibly();
        try {
            if (!process.waitFor(30, TimeUnit.SECONDS)) {
                throw new AssertionError("Payara Micro " + name + " still alive 30 s after SIGKILL");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted", e);
        }
    }

    @Override
    public void close() {
        if (process.isAlive()) {
            stop();
        }
    }

    /** Whether the log has a line with {@code text} after the last start of this server. */
    private boolean logContains(String text) {
        try {
            List<String> lines = Files.readAllLines(log, StandardCharsets.UTF_8);
            return lines.subList(startLine, lines.size()).stream().anyMatch(line -> line.contains(text));
        } catch (IOException e) {
            return false;
        }
    }

    private String tail() {
        try {
            List<String> lines = Files.readAllLines(log, StandardCharsets.UTF_8);
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 40), lines.size()));
        } catch (IOException e) {
            return "(no log: " + e + ")";
        }
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
