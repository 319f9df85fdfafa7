package io.keygate.it;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;

/**
 * WildFly's {@code deployments} folder as an administrator uses it while the server runs: a WAR dropped in is
 * deployed, a WAR deleted is undeployed, and the scanner answers with a marker file beside it
 * ({@code sample.war.deployed}, {@code .undeployed}, {@code .failed}, {@code .isdeploying}, ...).
 */
final class DeploymentsFolder {

    private final Path folder;

    DeploymentsFolder(Path folder) {
        this.folder = folder;
    }

    /**
     * Drops {@code war} in under {@code name}: copied beside the folder first and moved in at once, so the scanner
     * never sees half a file.
     */
    void add(String name, Path war) {
        try {
            Path copy = Files.copy(war, folder.resolveSibling(name + ".copying"), StandardCopyOption.REPLACE_EXISTING);
            Files.move(copy, folder.resolve(name), StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot deploy " + war + " as " + name, e);
        }
    }

    /** Deletes the WAR {@code name}: the scanner undeploys it. */
    void remove(String name) {
        try {
            Files.delete(folder.resolve(name));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot remove " + name, e);
        }
    }

    /** Whether the marker {@code name + marker} (e.g. {@code ".failed"}) is there. */
    boolean has(String name, String marker) {
        return Files.exists(folder.resolve(name + marker));
    }

    /** What the scanner wrote in the marker {@code name + marker}; empty when it is missing. */
    String read(String name, String marker) {
        try {
            return Files.readString(folder.resolve(name + marker), StandardCharsets.UTF_8);
        } catch (IOException e) {
            return "";
        }
    }

    /**
     * Waits for the marker {@code name + marker} and returns how long it took; fails once {@code timeout} is over,
     * or as soon as {@code name} fails to deploy when the marker awaited is {@code .deployed}.
     */
    Duration await(String name, String marker, Duration timeout) {
        long begin = System.nanoTime();
        while (!has(name, marker)) {
            if (".deployed".equals(marker) && has(name, ".failed")) {
                throw new AssertionError(name + " failed to deploy: " + read(name, ".failed"));
            }
            Duration waited = Duration.ofNanos(System.nanoTime() - begin);
            if (waited.compareTo(timeout) > 0) {
                throw new AssertionError("no " + name + marker + " after " + waited.toMillis() + " ms; the folder has "
                        + list());
            }
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError("interrupted", e);
            }
        }
        return Duration.ofNanos(System.nanoTime() - begin);
    }

    /** The names in the folder, for failure messages. */
    String list() {
        try (var names = Files.list(folder)) {
            return names.map(path -> path.getFileName().toString()).sorted().toList().toString();
        } catch (IOException e) {
            return "(unreadable: " + e + ")";
        }
    }
}
