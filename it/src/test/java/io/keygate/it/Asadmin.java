package io.keygate.it;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Payara Server's {@code asadmin}, run as an administrator runs it: {@code bin/asadmin} of the distribution with the
 * Java of the tests, against the domain's admin port on 127.0.0.1 (local commands such as {@code create-domain} and
 * {@code start-domain} ignore it). A command that fails fails the test with what asadmin printed.
 */
final class Asadmin {

    private static final long TIMEOUT_MINUTES = 4;

    private final Path home;
    private final int adminPort;

    /** {@code home} is the distribution's top folder ({@code payara6}), {@code adminPort} the domain's. */
    Asadmin(Path home, int adminPort) {
        this.home = home;
        this.adminPort = adminPort;
    }

    /**
     * Runs {@code asadmin <arguments>} with {@code environment} added to the test's (less its {@code KEYGATE_*}
     * variables: {@code start-domain} hands its environment to the server) and returns what it printed.
     */
    String run(Map<String, String> environment, String... arguments) {
        List<String> command = new ArrayList<>(List.of("sh", home.resolve("bin/asadmin").toString(),
                "--host", "127.0.0.1", "--port", Integer.toString(adminPort)));
        command.addAll(List.of(arguments));
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
        builder.environment().keySet().removeIf(name -> name.startsWith("KEYGATE_"));
        builder.environment().put("AS_JAVA", System.getProperty("java.home"));
        builder.environment().put("JAVA_HOME", System.getProperty("java.home"));
        builder.environment().putAll(environment);
        try {
            Process process = builder.start();
            process.getOutputStream().close();
            String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!process.waitFor(TIMEOUT_MINUTES, TimeUnit.MINUTES)) {
                process.destroyForcibly();
                throw new AssertionError("asadmin " + String.join(" ", arguments) + " still running after "
                        + TIMEOUT_MINUTES + " minutes:\n" + output);
            }
            if (process.exitValue() != 0) {
                throw new AssertionError("asadmin " + String.join(" ", arguments) + " failed (exit "
                        + process.exitValue() + "):\n" + output);
            }
            return output;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot run asadmin " + String.join(" ", arguments), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted", e);
        }
    }

    /** {@link #run(Map, String...)} with no environment of its own. */
    String run(String... arguments) {
        return run(Map.of(), arguments);
    }
}
