package io.keygate.it;

import static io.keygate.it.AdminClient.expect;
import static io.keygate.it.KeygateIT.getWithToken;
import static io.keygate.it.KeygateIT.uniqueSlug;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.keygate.it.AdminClient.IssuedToken;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * A whole server stopped the way an administrator stops it (SIGTERM) right after requests, before any periodic
 * hand-over could run: no use is lost. Payara Micro stops {@code keygate.war}'s verifier before it destroys the
 * sample's filter, so this needs {@code keygate.war} to take the filter's last counts itself.
 */
class ServerStopProcessIT {

    static final int PORT = Integer.parseInt(KeygateIT.requiredProperty("keygate.it.stop.port"));
    static final Path KEYGATE_WAR = Path.of(KeygateIT.requiredProperty("keygate.it.keygate-war"));
    static final Path SAMPLE_WAR = Path.of(KeygateIT.requiredProperty("keygate.it.sample-war"));
    static final Path WORK = Path.of(KeygateIT.requiredProperty("keygate.it.remote.work"));
    static final URI KEYGATE = URI.create("http://localhost:" + PORT + "/keygate/");
    static final URI WHOAMI = URI.create("http://localhost:" + PORT + "/sample/api/whoami");

    private static MicroProcess start() {
        MicroProcess server = MicroProcess.start("server-stop", PORT, List.of(KEYGATE_WAR, SAMPLE_WAR),
                Map.of("KEYGATE_ADMIN_TOKEN", KeygateIT.ADMIN_TOKEN,
                        "KEYGATE_DATA_DIR", WORK.resolve("server-stop-data").toString()),
                List.of());
        server.awaitReady(Duration.ofMinutes(2));
        return server;
    }

    @Test
    void usesRightBeforeAServerStopAreCountedAfterTheRestart() {
        AdminClient admin = new AdminClient(KEYGATE.resolve("api/v1/"), KeygateIT.ADMIN_TOKEN);
        IssuedToken token;
        try (MicroProcess server = start()) {
            String slug = uniqueSlug("stop");
            admin.createTenant(slug, "Stopped server");
            token = admin.issue(slug, "Busy integration", null, null, "read");
            for (int i = 0; i < 5; i++) {
                expect(200, getWithToken(WHOAMI, token.token()));
            }
            server.stop();
        }
        try (MicroProcess server = start()) {
            assertEquals(5, admin.token(token).getJsonNumber("usageCount").longValue(),
                    "uses made right before the stop");
            expect(200, getWithToken(WHOAMI, token.token()));
            server.stop();
        }
    }
}
