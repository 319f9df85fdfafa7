package io.keygate.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.keygate.it.AdminClient.IssuedToken;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * A protected WAR on WildFly never hangs while {@code keygate.war} is broken. The plain {@code keygate.war} fails to
 * deploy on WildFly (no EclipseLink there), yet its verifier EJB is bound, and a call to it waits in WildFly's
 * start-up await for ever: the filter's bounded calls must turn that into {@code 503}, let {@code sample.war} be
 * undeployed and the server stop, and find a good {@code keygate-wildfly.war} once it replaces the broken one.
 *
 * <p>And it does so quietly: WildFly logs every interrupted call to the broken verifier as an error with a stack trace
 * ({@code WFLYEJB0034}), and every task of its managed scheduler that falls due while it is suspended
 * ({@code WFLYEE0110}). While {@code keygate.war} stays broken the log gets none of these ({@link WildFlyNoise}), each
 * {@code sample.war} costs at most one {@code WFLYEJB0034} in all (when it stops, or finds the good verifier, and
 * lets its one waiting call go), and suspending or stopping the server logs none.
 *
 * <p>One WildFly ({@link WildFlyProcess}), started with the plain {@code keygate.war} and {@code sample.war}; the
 * steps run in order on it and print their timings in lines starting {@code BROKEN VERIFIER}. Every wait is bounded,
 * so a filter that hangs fails the test instead of hanging the build.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class BrokenVerifierOnWildFlyIT {

    /** {@code keygate.verifier.timeout-millis}, the filter's default. */
    private static final long TIMEOUT_MILLIS = 2000;
    /** What a protected request may take at most while the verifier hangs: the timeout and a margin. */
    private static final long ANSWER_BOUND_MILLIS = 5000;
    /** How long the test waits for any one answer before it calls the request hung. */
    private static final Duration HUNG = Duration.ofSeconds(15);
    private static final int CONCURRENT = 8;
    private static final String KEYGATE = "keygate.war";
    private static final String GOOD_KEYGATE = "keygate-wildfly.war";
    private static final String SAMPLE = "sample.war";
    /** How often WildFly looks into its deployments folder: an undeployment starts while a request still waits. */
    private static final int SCAN_MILLIS = 250;
    /** WildFly's management port before the offset. */
    private static final int MANAGEMENT_PORT = 9990;
    /** How long the test watches the log while {@code keygate.war} stays broken: the old hand-over retried every 4 s. */
    private static final long BROKEN_WATCH_MILLIS = 9000;
    /** How long the server stays suspended: longer than the filter's hand-over interval, so that tasks fall due. */
    private static final long SUSPENDED_MILLIS = 3000;

    private static WildFlyProcess wildFly;
    private static DeploymentsFolder deployments;
    private static URI whoami;

    @BeforeAll
    static void startWithTheBrokenKeygateWar() {
        long begin = System.nanoTime();
        wildFly = WildFlyProcess.start(Path.of(KeygateIT.requiredProperty("keygate.it.wildfly.home")),
                Path.of(KeygateIT.requiredProperty("keygate.it.wildfly.base")),
                Integer.parseInt(KeygateIT.requiredProperty("keygate.it.wildfly.port-offset")),
                Map.of(KEYGATE, Path.of(KeygateIT.requiredProperty("keygate.it.keygate-war")),
                        SAMPLE, sampleWar()),
                Map.of("KEYGATE_ADMIN_TOKEN", KeygateIT.ADMIN_TOKEN), SCAN_MILLIS);
        deployments = wildFly.deployments();
        wildFly.awaitStarted(Duration.ofMinutes(3));
        deployments.await(SAMPLE, ".deployed", Duration.ofSeconds(30));
        deployments.await(KEYGATE, ".failed", Duration.ofSeconds(30));
        whoami = URI.create(wildFly.baseUrl()).resolve("/sample/api/whoami");
        report("WildFly started, sample.war deployed, keygate.war failed (" + firstLine(deployments.read(KEYGATE,
                ".failed")) + ")", begin);
    }

    @AfterAll
    static void stop() {
        if (wildFly != null) {
            wildFly.close();
            ServerLog.keygateWarnings(wildFly.serverLog(), 0)
                    .forEach(line -> System.out.println("BROKEN VERIFIER server.log: " + line));
        }
    }

    @Test
    @Order(1)
    void aWellFormedTokenGets503WithinTheTimeoutAndNoTokenStill401() throws Exception {
        long from = ServerLog.lineCount(wildFly.serverLog());
        Sent waiting = send(KeygateIT.wellFormedUnknownToken());
        Thread.sleep(300);
        Answer noToken = send(null).answer();
        Answer first = waiting.answer();
        reportMillis("a well-formed token: " + first, first.millis);
        reportMillis("no token, while it waited: " + noToken, noToken.millis);
        first.assertUnavailable();
        assertEquals(401, noToken.status, noToken.toString());
        assertTrue(noToken.millis < TIMEOUT_MILLIS / 2, "no token needs no verifier, yet took " + noToken);

        // Now the verifier is suspect: these fail at once rather than each wait the timeout.
        List<Sent> concurrent = new ArrayList<>();
        for (int i = 0; i < CONCURRENT; i++) {
            concurrent.add(send(KeygateIT.wellFormedUnknownToken()));
        }
        for (int i = 0; i < CONCURRENT; i++) {
            Answer answer = concurrent.get(i).answer();
            reportMillis("concurrent well-formed token " + (i + 1) + "/" + CONCURRENT + ": " + answer,
                    answer.millis);
            answer.assertUnavailable();
        }
        assertQuiet(from, "while the first requests met the broken verifier");
    }

    /**
     * While the same broken {@code keygate.war} stays deployed, the one call that waits for it is all the filter
     * spends on it: no request waits again, the hand-overs back off, and WildFly logs nothing (the filter before this
     * logged a {@code WFLYEJB0034} stack trace about every 4 seconds, its hand-over trying again after each look-up).
     */
    @Test
    @Order(2)
    void whileKeygateWarStaysBrokenRequestsFailAtOnceAndTheServerLogStaysQuiet() throws Exception {
        long from = ServerLog.lineCount(wildFly.serverLog());
        long begin = System.nanoTime();
        int requests = 0;
        long slowest = 0;
        while (elapsedMillis(begin) < BROKEN_WATCH_MILLIS) {
            Answer answer = send(KeygateIT.wellFormedUnknownToken()).answer();
            requests++;
            slowest = Math.max(slowest, answer.millis);
            answer.assertUnavailable();
            pause(500);
        }
        reportMillis(requests + " requests while keygate.war stayed broken, the slowest answered in", slowest);
        assertTrue(slowest < TIMEOUT_MILLIS / 2, "a request waited for the verifier known to hang: " + slowest + " ms");
        assertQuiet(from, "while keygate.war stayed broken");
        assertEquals(List.of(), ServerLog.keygateWarnings(wildFly.serverLog(), from),
                "Keygate said once that the verifier is unavailable, not again");
    }

    @Test
    @Order(3)
    void sampleUndeploysWhileARequestWaitsForTheVerifier() throws Exception {
        // A sample.war of its own: its filter's first call waits the whole timeout. (The filter of the first one knows
        // that the verifier hangs: its requests fail at once while the one call it made to it still waits.)
        long fresh = System.nanoTime();
        deployments.remove(SAMPLE);
        deployments.await(SAMPLE, ".undeployed", Duration.ofSeconds(30));
        deployments.add(SAMPLE, sampleWar());
        deployments.await(SAMPLE, ".deployed", Duration.ofSeconds(30));
        report("sample.war deployed afresh", fresh);

        Sent inFlight = send(KeygateIT.wellFormedUnknownToken());
        Thread.sleep(500);
        assertFalse(inFlight.response().isDone(), "the request should still wait for the verifier");
        long removed = System.nanoTime();
        deployments.remove(SAMPLE);
        Duration undeployed = deployments.await(SAMPLE, ".undeployed", Duration.ofSeconds(30));
        boolean answeredBefore = inFlight.response().isDone();
        report("sample.war undeployed (.undeployed marker) with a request waiting for the verifier", removed);
        long stopped = stopMillis(SAMPLE);
        reportMillis("sample.war stopped, as WildFly counts it", stopped);
        Answer answer = inFlight.answer();
        reportMillis("the request waiting meanwhile (answered " + (answeredBefore ? "before" : "after")
                + " the marker): " + answer, answer.millis);
        assertTrue(undeployed.toMillis() < 10_000, "undeploying sample.war took " + undeployed.toMillis() + " ms");
        assertTrue(stopped < 5000, "stopping sample.war took " + stopped + " ms");
        answer.assertUnavailable(); // its wait ends before the WAR is gone, not cut short into a 500

        long added = System.nanoTime();
        deployments.add(SAMPLE, sampleWar());
        deployments.await(SAMPLE, ".deployed", Duration.ofSeconds(30));
        report("sample.war deployed again", added);
        Answer again = send(KeygateIT.wellFormedUnknownToken()).answer();
        reportMillis("a well-formed token, sample.war deployed again: " + again, again.millis);
        again.assertUnavailable();
    }

    @Test
    @Order(4)
    void aGoodKeygateWarInPlaceOfTheBrokenOneIsFound() throws Exception {
        long removed = System.nanoTime();
        deployments.remove(KEYGATE);
        // A WAR that failed gets no .undeployed marker, only its .failed one removed: the log says when it is gone.
        awaitLogLine("WFLYSRV0009: Undeployed \"" + KEYGATE + "\"", Duration.ofSeconds(30));
        report("broken keygate.war undeployed", removed);
        long added = System.nanoTime();
        deployments.add(GOOD_KEYGATE, Path.of(KeygateIT.requiredProperty("keygate.it.wildfly-war")));
        deployments.await(GOOD_KEYGATE, ".deployed", Duration.ofSeconds(60));
        report("keygate-wildfly.war deployed", added);

        AdminClient admin = new AdminClient(URI.create(wildFly.baseUrl()).resolve("/keygate/api/v1/"),
                KeygateIT.ADMIN_TOKEN);
        String tenant = KeygateIT.uniqueSlug("broken");
        admin.createTenant(tenant, "Broken verifier");
        IssuedToken token = admin.issue(tenant, "After the repair", "alice", null, "read");
        long issued = System.nanoTime();
        Answer answer;
        int tries = 0;
        do {
            tries++;
            answer = send(token.token()).answer();
        } while (answer.status != 200 && elapsedMillis(issued) < 15_000 && pause(200));
        report("the new token answered " + answer + " after " + tries + " request(s)", issued);
        assertEquals(200, answer.status, answer.toString());
        assertTrue(elapsedMillis(issued) < 3 * TIMEOUT_MILLIS + 1000,
                "the filter found the new verifier only after " + elapsedMillis(issued) + " ms");
    }

    /**
     * The filter's hand-overs run on threads of its own, not on the server's managed scheduler, whose tasks WildFly
     * refuses while it is suspended (as at every stop) with a {@code WFLYEE0110} error each.
     */
    @Test
    @Order(5)
    void suspendingTheServerLogsNoRefusedHandOver() throws Exception {
        long from = ServerLog.lineCount(wildFly.serverLog());
        long begin = System.nanoTime();
        cli(":suspend", ":resume");
        report("WildFly suspended for " + SUSPENDED_MILLIS + " ms and resumed", begin);
        assertQuiet(from, "while the server was suspended");
        assertEquals(List.of(), ServerLog.keygateWarnings(wildFly.serverLog(), from));
    }

    @Test
    @Order(6)
    void theServerStopsOnSigterm() {
        long from = ServerLog.lineCount(wildFly.serverLog());
        long begin = System.nanoTime();
        wildFly.close();
        report("WildFly stopped on SIGTERM", begin);
        assertFalse(wildFly.alive(), "WildFly still runs");
        assertTrue(elapsedMillis(begin) < 20_000, "stopping took " + elapsedMillis(begin) + " ms");
        assertQuiet(from, "while the server stopped");

        List<String> all = WildFlyNoise.since(wildFly.serverLog(), 0);
        long failed = WildFlyNoise.count(all, WildFlyNoise.FAILED_INVOCATION);
        long samples = ServerLog.lines(wildFly.serverLog()).stream()
                .filter(line -> line.contains("WFLYSRV0010: Deployed \"" + SAMPLE + "\"")).count();
        System.out.printf("BROKEN VERIFIER %d %s in the whole run, %d deployments of %s%n", failed,
                WildFlyNoise.FAILED_INVOCATION, samples, SAMPLE);
        assertTrue(failed <= samples, "at most one " + WildFlyNoise.FAILED_INVOCATION + " per deployment of " + SAMPLE
                + " (" + samples + "): " + WildFlyNoise.summary(all));
        assertEquals(0, WildFlyNoise.count(all, WildFlyNoise.REFUSED_TASK), WildFlyNoise.summary(all));
    }

    /** Fails when the server log got any {@link WildFlyNoise} from line {@code from} on. */
    private static void assertQuiet(long from, String when) {
        List<String> noise = WildFlyNoise.since(wildFly.serverLog(), from);
        assertTrue(noise.isEmpty(), "WildFly logged " + when + " " + WildFlyNoise.summary(noise));
    }

    /**
     * Runs {@code first}, waits {@link #SUSPENDED_MILLIS}, runs {@code then}: management operations, with one
     * {@code jboss-cli.sh} (whose start takes seconds) as an administrator on this host would.
     */
    private static void cli(String first, String then) throws IOException, InterruptedException {
        Path home = Path.of(KeygateIT.requiredProperty("keygate.it.wildfly.home"));
        int port = MANAGEMENT_PORT + Integer.parseInt(KeygateIT.requiredProperty("keygate.it.wildfly.port-offset"));
        Path output = Files.createTempFile("jboss-cli", ".log");
        try {
            ProcessBuilder builder = new ProcessBuilder("sh", home.resolve("bin/jboss-cli.sh").toString(),
                    "--connect", "--controller=remote+http://127.0.0.1:" + port)
                    .redirectErrorStream(true).redirectOutput(output.toFile());
            builder.environment().put("JAVA_HOME", System.getProperty("java.home"));
            Process process = builder.start();
            try (Writer commands = new OutputStreamWriter(process.getOutputStream(), StandardCharsets.UTF_8)) {
                commands.write(first + "\n");
                commands.flush();
                long asked = System.nanoTime();
                while (!Files.readString(output).contains("outcome")) {
                    assertTrue(process.isAlive() && elapsedMillis(asked) < 60_000,
                            "jboss-cli " + first + ": " + Files.readString(output));
                    Thread.sleep(50);
                }
                Thread.sleep(SUSPENDED_MILLIS);
                commands.write(then + "\nquit\n");
            }
            if (!process.waitFor(60, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new AssertionError("jboss-cli did not end: " + Files.readString(output));
            }
            String said = Files.readString(output);
            assertEquals(2, said.split("\"outcome\" => \"success\"", -1).length - 1, "jboss-cli: " + said);
        } finally {
            Files.deleteIfExists(output);
        }
    }

    private static Path sampleWar() {
        return Path.of(KeygateIT.requiredProperty("keygate.it.sample-war"));
    }

    /** How long WildFly says it took to stop {@code war} the last time ({@code WFLYSRV0028}). */
    private static long stopMillis(String war) {
        Pattern stopped = Pattern.compile("WFLYSRV0028: Stopped deployment " + Pattern.quote(war) + " .* in (\\d+)ms");
        return ServerLog.lines(wildFly.serverLog()).stream().map(stopped::matcher).filter(Matcher::find)
                .mapToLong(found -> Long.parseLong(found.group(1))).reduce((first, last) -> last)
                .orElseThrow(() -> new AssertionError("WildFly did not say it stopped " + war));
    }

    /** Waits until WildFly's server.log has a line containing {@code text}. */
    private static void awaitLogLine(String text, Duration timeout) throws InterruptedException {
        long begin = System.nanoTime();
        while (!ServerLog.contains(wildFly.serverLog(), text)) {
            assertTrue(elapsedMillis(begin) < timeout.toMillis(), "no '" + text + "' in the server log after "
                    + timeout.toMillis() + " ms; the deployments folder has " + deployments.list());
            Thread.sleep(50);
        }
    }

    /** A GET of the sample's whoami with {@code token} as bearer token, or none when null. */
    private static Sent send(String token) {
        HttpRequest.Builder request = HttpRequest.newBuilder(whoami).timeout(HUNG).GET();
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        long sent = System.nanoTime();
        return Sent.of(KeygateIT.HTTP.sendAsync(request.build(), HttpResponse.BodyHandlers.ofString()), sent);
    }

    private static boolean pause(long millis) throws InterruptedException {
        Thread.sleep(millis);
        return true;
    }

    private static long elapsedMillis(long since) {
        return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - since);
    }

    private static void report(String what, long since) {
        System.out.printf("BROKEN VERIFIER %s: %d ms%n", what, elapsedMillis(since));
    }

    private static void reportMillis(String what, long millis) {
        System.out.printf("BROKEN VERIFIER %s: %d ms%n", what, millis);
    }

    private static String firstLine(String text) {
        String line = text.lines().findFirst().orElse("");
        return line.length() > 160 ? line.substring(0, 160) + "..." : line;
    }

    /** A request on its way: its answer, timed when it arrives, and when it was sent ({@link System#nanoTime()}). */
    private record Sent(CompletableFuture<Answer> response, long sentNanos) {

        static Sent of(CompletableFuture<HttpResponse<String>> response, long sentNanos) {
            return new Sent(response.handle((answer, failure) -> failure != null
                    ? new Answer(-1, null, elapsedMillis(sentNanos), String.valueOf(failure))
                    : new Answer(answer.statusCode(), answer.headers().firstValue("Retry-After").orElse(null),
                            elapsedMillis(sentNanos), null)), sentNanos);
        }

        /** Its answer; waits a little longer than {@link #HUNG} at most. */
        Answer answer() throws InterruptedException {
            try {
                return response.get(HUNG.toMillis() + 1000, TimeUnit.MILLISECONDS);
            } catch (ExecutionException | TimeoutException e) {
                return new Answer(-1, null, elapsedMillis(sentNanos), String.valueOf(e));
            }
        }
    }

    /** One answer and how long it took from when it was sent; status -1: none before the test gave up. */
    private record Answer(int status, String retryAfter, long millis, String failure) {

        void assertUnavailable() {
            assertEquals(503, status, toString());
            assertNotNull(retryAfter, "Retry-After: " + this);
            assertTrue(millis < ANSWER_BOUND_MILLIS, "answered after " + millis + " ms: " + this);
        }

        @Override
        public String toString() {
            return failure != null ? "no answer (" + failure + ")"
                    : status + (retryAfter == null ? "" : " Retry-After: " + retryAfter);
        }
    }
}
