package io.keygate.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.shrinkwrap.api.ShrinkWrap;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Redeploying either WAR while tokens are in use: protected requests fail closed (503 with {@code Retry-After},
 * never 200 without a verifier and never 401) and recover by themselves, and no use of a token goes uncounted.
 *
 * <p>The failsafe execution {@code redeploy} starts Payara Micro with {@code keygate.war} and {@code sample.war}
 * deployed as exploded folders (system property {@code keygate.it.exploded}); touching a folder's
 * {@code .reload} file makes Payara Micro redeploy that application while the server keeps running. The
 * Arquillian deployment itself is only an empty marker WAR.
 */
class RedeployIT extends OwnMicroIT {

    private static final Duration DEADLINE = Duration.ofSeconds(60);

    private final Path exploded = Path.of(requiredProperty("keygate.it.exploded"));
    private AdminClient admin;
    private String tenant;

    @Deployment(testable = false)
    static WebArchive deployment() {
        return ShrinkWrap.create(WebArchive.class, "redeploy-marker.war").addAsWebResource("foreign-war/web.xml",
                "marker.txt");
    }

    @BeforeEach
    void createTenant() {
        admin = admin();
        tenant = uniqueSlug("redeploy");
        admin.createTenant(tenant, "Redeploy");
    }

    @Test
    void redeployOfKeygateFailsClosedRecoversAndLosesNoCount() {
        AdminClient.IssuedToken issued = admin.issue(tenant, "during keygate redeploy", null, null, "read");
        int counted = callTimes(issued.token(), 25);

        reload("keygate");
        List<Integer> statuses = new ArrayList<>();
        int succeeded = 0;
        int succeededAfterOutage = 0;
        Instant deadline = Instant.now().plus(DEADLINE);
        while (succeededAfterOutage < 10) {
            assertTrue(Instant.now().isBefore(deadline), "no redeploy seen, or no recovery: " + statuses);
            HttpResponse<String> response = getWithToken(sample("/api/whoami"), issued.token());
            statuses.add(response.statusCode());
            if (response.statusCode() == 503) {
                assertNotNull(header(response, "Retry-After"), "a 503 says when to retry");
            } else {
                assertEquals(200, response.statusCode(), "only 200 or 503 while keygate.war redeploys: " + statuses);
                succeeded++;
                if (statuses.contains(503)) {
                    succeededAfterOutage++;
                }
            }
            pause(50);
        }

        assertUsageCount(issued, counted + succeeded);
    }

    @Test
    void redeployOfTheProtectedWarLosesNoCount() {
        AdminClient.IssuedToken issued = admin.issue(tenant, "during sample redeploy", null, null, "read");
        int counted = callTimes(issued.token(), 30);

        reload("sample");
        awaitUntil(() -> get(sample("/public/status")).statusCode() != 200, "sample.war is being redeployed");
        awaitUntil(() -> get(sample("/public/status")).statusCode() == 200, "sample.war is back");
        counted += callTimes(issued.token(), 5);

        assertUsageCount(issued, counted);
    }

    /** Makes {@code requests} calls that must all succeed; returns how many were made. */
    private int callTimes(String token, int requests) {
        for (int i = 0; i < requests; i++) {
            HttpResponse<String> response = getWithToken(sample("/api/whoami"), token);
            assertEquals(200, response.statusCode(), response.body());
        }
        return requests;
    }

    /** The README: usageCount may lag real use by at most 5 seconds, and no count is ever lost. */
    private void assertUsageCount(AdminClient.IssuedToken issued, int expected) {
        Instant deadline = Instant.now().plusSeconds(5);
        long seen;
        do {
            seen = admin.token(issued).getJsonNumber("usageCount").longValue();
            if (seen == expected) {
                return;
            }
            pause(250);
        } while (Instant.now().isBefore(deadline));
        assertEquals(expected, seen, "usageCount 5 s after the last request");
    }

    private void reload(String application) {
        Path marker = exploded.resolve(application).resolve(".reload");
        try {
            if (Files.notExists(marker)) {
                Files.createFile(marker);
            }
            Files.setLastModifiedTime(marker, FileTime.from(Instant.now()));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void awaitUntil(Supplier<Boolean> condition, String what) {
        Instant deadline = Instant.now().plus(DEADLINE);
        while (!condition.get()) {
            assertTrue(Instant.now().isBefore(deadline), "timed out waiting until " + what);
            pause(20);
        }
    }

    private static void pause(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
