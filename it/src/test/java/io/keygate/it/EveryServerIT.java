package io.keygate.it;

import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Base of the suite that runs unchanged on every server Keygate supports: Payara Micro, Payara Server and WildFly.
 * The failsafe execution names the server ({@link ServerUnderTest}); it starts once for the run with
 * {@code keygate.war}, {@code sample.war} and the other WARs of the suite ({@link SuiteWars}) deployed, and every
 * class of the suite runs against it, in the order the execution gives.
 *
 * <p>One server for the whole suite means state outlives a class: tenants have fresh slugs, and each class is a
 * client of its own, so that the failed authentications one class makes on purpose never throttle another (the
 * brute-force throttle counts per client address, across every WAR of the server, for a minute): its requests to
 * {@code localhost} come from an address of the benchmarking range of RFC 2544 ({@code 198.18.0.0/15}) through the
 * trusted proxy on loopback ({@link KeygateIT#clientOfTheClass}). A test that is about the client address names its
 * own with {@code X-Forwarded-For} or sends to {@code 127.0.0.1}.
 */
@Tag(EveryServerIT.TAG)
abstract class EveryServerIT extends KeygateIT {

    /** The JUnit tag that the executions {@code on-payara-micro}, {@code on-payara-server} and {@code on-wildfly} run. */
    static final String TAG = "every-server";

    @RegisterExtension
    static final ServerUnderTest SERVER = new ServerUnderTest();

    private static final AtomicInteger CLASSES = new AtomicInteger();

    @BeforeAll
    static void aClientOfItsOwn() {
        int n = CLASSES.incrementAndGet();
        clientOfTheClass("198.18." + (n / 250) + "." + (n % 250 + 1));
    }

    @AfterAll
    static void noClient() {
        clientOfTheClass(null);
    }

    @BeforeEach
    void locateServer() {
        server = localhost(SERVER.running().root().getPort());
    }
}
