package io.keygate.it;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * The local PostgreSQL server the store tests use, as its administrator sees it: the Debian cluster tools to stop
 * and start it ({@code pg_ctlcluster}), {@code psql} for a query and {@code pg_dump} for a backup. The cluster is the
 * one {@code pg_lsclusters} lists on the tests' port.
 *
 * <p>Other tests on the machine use the same server: {@link #stopped} keeps it down for as short a time as the
 * caller's work takes, and starts it again whatever happens, even when the test JVM is killed meanwhile (a
 * shutdown hook).
 *
 * <p>Configured by the failsafe system properties {@code keygate.it.postgresql.host}, {@code .port},
 * {@code .database} and {@code .user}.
 */
final class PostgresCluster {

    static final String HOST = KeygateIT.requiredProperty("keygate.it.postgresql.host");
    static final int PORT = Integer.parseInt(KeygateIT.requiredProperty("keygate.it.postgresql.port"));
    static final String DATABASE = KeygateIT.requiredProperty("keygate.it.postgresql.database");
    static final String USER = KeygateIT.requiredProperty("keygate.it.postgresql.user");

    /** How long PostgreSQL may take to stop or to start and accept connections. */
    private static final Duration COMMAND_TIMEOUT = Duration.ofSeconds(60);

    private PostgresCluster() {
    }

    /** What a test does while the database is down. */
    @FunctionalInterface
    interface Outage {
        void run() throws Exception;
    }

    /**
     * Stops PostgreSQL (fast shutdown: open connections are cut, as when a database server goes away), runs
     * {@code whileDown}, and starts it again, also when {@code whileDown} fails; returns once it accepts
     * connections.
     */
    static void stopped(Outage whileDown) throws Exception {
        String[] cluster = cluster();
        Thread restart = new Thread(() -> pgCtlCluster(cluster, "start"), "restart PostgreSQL");
        Runtime.getRuntime().addShutdownHook(restart);
        try {
            pgCtlCluster(cluster, "stop");
            whileDown.run();
        } finally {
            if (!isRunning(cluster)) {
                pgCtlCluster(cluster, "start");
            }
            awaitConnections();
            Runtime.getRuntime().removeShutdownHook(restart);
        }
    }

    /** Whether this machine has the cluster tools, and so whether {@link #stopped} can work. */
    static String whyUncontrollable() {
        try {
            cluster();
            return null;
        } catch (RuntimeException | AssertionError e) {
            return e.getMessage();
        }
    }

    /** The rows {@code psql} answers to {@code sql}, columns separated by {@code |}. */
    static List<String> query(String sql) {
        return run(List.of("psql", "--no-password", "-h", HOST, "-p", Integer.toString(PORT), "-U", USER,
                "-d", DATABASE, "-At", "-v", "ON_ERROR_STOP=1", "-c", sql)).lines().toList();
    }

    /** {@code pg_dump} of {@code schema}, as an admin taking a backup would run it. */
    static String dump(String schema) {
        return run(List.of("pg_dump", "--no-password", "-h", HOST, "-p", Integer.toString(PORT), "-U", USER,
                "--schema=" + schema, DATABASE));
    }

    /** Version and name of the cluster on {@link #PORT}, from {@code pg_lsclusters}. */
    private static String[] cluster() {
        for (String line : run(List.of("pg_lsclusters", "--no-header")).lines().toList()) {
            String[] columns = line.trim().split("\\s+");
            if (columns.length >= 3 && columns[2].equals(Integer.toString(PORT))) {
                return new String[] {columns[0], columns[1]};
            }
        }
        throw new IllegalStateException("pg_lsclusters lists no PostgreSQL cluster on port " + PORT);
    }

    /** {@code pg_ctlcluster status}: 0 when the server runs, 3 when it does not. */
    private static boolean isRunning(String[] cluster) {
        try {
            Process process = new ProcessBuilder("pg_ctlcluster", cluster[0], cluster[1], "status")
                    .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
            return process.waitFor(COMMAND_TIMEOUT.toSeconds(), TimeUnit.SECONDS) && process.exitValue() == 0;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot run pg_ctlcluster", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    private static void pgCtlCluster(String[] cluster, String action) {
        List<String> command = new ArrayList<>(List.of("pg_ctlcluster", "--skip-systemctl-redirect"));
        if (action.equals("stop")) {
            command.addAll(List.of("-m", "fast"));
        }
        command.addAll(List.of(cluster[0], cluster[1], action));
        run(command);
    }

    private static void awaitConnections() {
        long deadline = System.nanoTime() + COMMAND_TIMEOUT.toNanos();
        while (true) {
            try (Socket socket = new Socket()) {
                socket.connect(new InetSocketAddress(HOST, PORT), 1000);
                if (query("SELECT 1").equals(List.of("1"))) {
                    return;
                }
            } catch (IOException | RuntimeException | AssertionError e) {
                if (System.nanoTime() > deadline) {
                    throw new AssertionError("PostgreSQL at " + HOST + ":" + PORT + " does not accept connections "
                            + COMMAND_TIMEOUT + " after it was started", e);
                }
            }
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError("interrupted while PostgreSQL starts", e);
            }
        }
    }

    private static String read(InputStream stream) {
        try (stream) {
            return new String(stream.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Runs {@code command}; its output, or an error with its exit status and messages. */
    private static String run(List<String> command) {
        try {
            Process process = new ProcessBuilder(command).start();
            process.getOutputStream().close();
            CompletableFuture<String> err = CompletableFuture.supplyAsync(() -> read(process.getErrorStream()));
            String out = read(process.getInputStream());
            if (!process.waitFor(COMMAND_TIMEOUT.toSeconds(), TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new AssertionError(command.get(0) + " did not finish within " + COMMAND_TIMEOUT);
            }
            if (process.exitValue() != 0) {
                throw new AssertionError(String.join(" ", command) + " failed (" + process.exitValue() + "): "
                        + err.join().strip());
            }
            return out;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot run " + command.get(0)
                    + " (PostgreSQL's client and cluster tools must be installed)", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted while running " + command.get(0), e);
        }
    }
}
