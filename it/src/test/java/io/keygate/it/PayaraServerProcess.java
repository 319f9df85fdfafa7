package io.keygate.it;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A Payara Server domain of the tests' own, started from the distribution the build unpacked as an administrator
 * runs it: {@code asadmin start-domain}, WARs deployed with {@code asadmin deploy}, Keygate configured by the
 * environment that {@code start-domain} hands to the server.
 *
 * <p>The domain is not the distribution's {@code domain1} but {@code keygate-it}, created once per build folder by
 * {@code asadmin create-domain --portbase} (14 s, mostly keys and certificates) into {@code template}, and copied
 * afresh for every start, so no state of an earlier run remains and the distribution stays untouched. Its ports are
 * the port base plus Payara's offsets (admin +48, HTTP +80, Hazelcast +49), and nothing listens beyond 127.0.0.1:
 * the listeners' addresses are set by {@code asadmin set} as pre-boot commands (applied before the server opens
 * them); what has to be in place before the server's JVM starts, or has no element {@code set} could change, is
 * written into the template's {@code domain.xml} once: the JVM's temporary folder inside the domain, Hazelcast bound
 * to 127.0.0.1 ({@code interface}, {@code das-bind-address} and {@code hazelcast.socket.bind.any=false}), and JMS
 * switched off ({@code jms-service type="DISABLED"}; Keygate uses none).
 */
final class PayaraServerProcess implements AutoCloseable {

    static final String DOMAIN = "keygate-it";
    private static final String LISTENERS = "configs.config.server-config.network-config.network-listeners"
            + ".network-listener.";
    private static final String IIOP = "configs.config.server-config.iiop-service.iiop-listener.";
    /** Every listener of the domain, moved from 0.0.0.0 to loopback before the server opens it. */
    private static final List<String> PRE_BOOT = List.of(
            "set " + LISTENERS + "http-listener-1.address=127.0.0.1",
            "set " + LISTENERS + "http-listener-2.address=127.0.0.1",
            "set " + LISTENERS + "admin-listener.address=127.0.0.1",
            "set " + IIOP + "orb-listener-1.address=127.0.0.1",
            "set " + IIOP + "SSL.address=127.0.0.1",
            "set " + IIOP + "SSL_MUTUALAUTH.address=127.0.0.1",
            "set configs.config.server-config.admin-service.jmx-connector.system.address=127.0.0.1");

    private final Asadmin asadmin;
    private final Path domains;
    private final int httpPort;
    private Thread stopOnExit;

    private PayaraServerProcess(Asadmin asadmin, Path domains, int httpPort) {
        this.asadmin = asadmin;
        this.domains = domains;
        this.httpPort = httpPort;
    }

    /**
     * Starts domain {@value #DOMAIN} of the distribution at {@code home} in {@code domains} (emptied first, the
     * domain copied from {@code template}, which is created first if missing), with {@code environment} added to the
     * test's less its {@code KEYGATE_*} variables, and returns once the server answers its admin port.
     */
    static PayaraServerProcess start(Path home, Path template, Path domains, int portBase,
            Map<String, String> environment) {
        Asadmin asadmin = new Asadmin(home, portBase + 48);
        try {
            if (!Files.exists(template.resolve(DOMAIN).resolve("config/domain.xml"))) {
                createTemplate(asadmin, template, portBase);
            }
            Folders.delete(domains);
            Folders.copy(template.resolve(DOMAIN), domains.resolve(DOMAIN));
            Path preBoot = Files.write(domains.resolve("pre-boot.asadmin"), PRE_BOOT, StandardCharsets.UTF_8);
            PayaraServerProcess server = new PayaraServerProcess(asadmin, domains, portBase + 80);
            // Should the test JVM be stopped before the run ends (a failsafe timeout, Ctrl-C), the domain goes too.
            server.stopOnExit = new Thread(server::stop, "stop Payara Server");
            Runtime.getRuntime().addShutdownHook(server.stopOnExit);
            asadmin.run(environment, "start-domain", "--domaindir", domains.toString(),
                    "--prebootcommandfile", preBoot.toString(), DOMAIN);
            return server;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start Payara Server in " + domains, e);
        }
    }

    /** {@code asadmin} against this domain, for deployments and settings. */
    Asadmin asadmin() {
        return asadmin;
    }

    /** {@code http://127.0.0.1:<port>/}. */
    String baseUrl() {
        return "http://127.0.0.1:" + httpPort + "/";
    }

    /** The domain's own log, {@code logs/server.log}. */
    Path serverLog() {
        return domains.resolve(DOMAIN).resolve("logs/server.log");
    }

    /** The domain's folder, where a test keeps what belongs to this run. */
    Path domainDir() {
        return domains.resolve(DOMAIN);
    }

    /** Stops the domain with {@code asadmin stop-domain}; when that fails, kills its JVM. */
    @Override
    public void close() {
        stop();
        if (stopOnExit != null) {
            try {
                Runtime.getRuntime().removeShutdownHook(stopOnExit);
            } catch (IllegalStateException e) {
                // already shutting down: the hook is running or ran
            }
        }
    }

    private void stop() {
        Optional<ProcessHandle> server = pid().flatMap(ProcessHandle::of).filter(ProcessHandle::isAlive);
        if (server.isEmpty()) {
            return;
        }
        try {
            asadmin.run("stop-domain", "--domaindir", domains.toString(), DOMAIN);
        } catch (RuntimeException | AssertionError e) {
            System.out.println("SERVER payara-server: stop-domain failed, killing it: " + e.getMessage());
        }
        server.filter(ProcessHandle::isAlive).ifPresent(ProcessHandle::destroyForcibly);
    }

    /** The server JVM's process id, which {@code start-domain} writes to {@code config/pid}. */
    private Optional<Long> pid() {
        try {
            Path file = domains.resolve(DOMAIN).resolve("config/pid");
            return Files.exists(file) ? Optional.of(Long.parseLong(Files.readString(file).strip())) : Optional.empty();
        } catch (IOException | NumberFormatException e) {
            return Optional.empty();
        }
    }

    private static void createTemplate(Asadmin asadmin, Path template, int portBase) throws IOException {
        Folders.delete(template);
        asadmin.run("create-domain", "--domaindir", template.toString(), "--portbase", Integer.toString(portBase),
                "--nopassword", "--checkports=false", DOMAIN);
        Path domainXml = template.resolve(DOMAIN).resolve("config/domain.xml");
        String xml = Files.readString(domainXml, StandardCharsets.UTF_8);
        // The first of each is server-config's (default-config, the template of other instances, follows).
        xml = replaceFirst(xml, "<jvm-options>-server</jvm-options>", "<jvm-options>-server</jvm-options>"
                + "<jvm-options>-Djava.io.tmpdir=${com.sun.aas.instanceRoot}/tmp</jvm-options>"
                + "<jvm-options>-Dhazelcast.socket.bind.any=false</jvm-options>");
        xml = replaceFirst(xml, "<hazelcast-runtime-configuration ",
                "<hazelcast-runtime-configuration interface=\"127.0.0.1\" das-bind-address=\"127.0.0.1\" ");
        xml = replaceFirst(xml, "<payara-executor-service-configuration />",
                "<payara-executor-service-configuration /><jms-service type=\"DISABLED\"></jms-service>");
        Files.writeString(domainXml, xml, StandardCharsets.UTF_8);
    }

    private static String replaceFirst(String xml, String what, String with) {
        int at = xml.indexOf(what);
        if (at < 0) {
            throw new AssertionError("no " + what + " in the domain.xml that create-domain wrote");
        }
        return xml.substring(0, at) + with + xml.substring(at + what.length());
    }
}
