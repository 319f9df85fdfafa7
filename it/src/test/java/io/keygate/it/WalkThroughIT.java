package io.keygate.it;

import static io.keygate.it.BearerAnswers.assertBareChallenge;
import static io.keygate.it.BearerAnswers.assertBearerError;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.keygate.it.AdminClient.IssuedToken;
import jakarta.json.JsonObject;
import java.nio.file.Files;
import java.util.List;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The README's walk-through, step by step, on whichever server the execution names ({@link ServerUnderTest}):
 * {@code keygate.war} (on WildFly {@code keygate-wildfly.war}) and {@code sample.war} deployed as an administrator
 * deploys them, configured by the environment alone. Then the server's log: Keygate's deployment and the
 * walk-through leave no error or warning of Keygate or its store there. First among the classes of the execution
 * ({@code @Order}; the others of the suite have none): later classes may provoke warnings on purpose.
 */
@Tag(EveryServerIT.TAG)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
@Order(1)
class WalkThroughIT {

    @RegisterExtension
    static final ServerUnderTest SERVER = new ServerUnderTest();

    @Test
    @Order(1)
    void theReadmeWalkThroughWorks() {
        AdminClient admin = new AdminClient(SERVER.running().uri("/keygate/api/v1/"), KeygateIT.ADMIN_TOKEN);
        String tenant = KeygateIT.uniqueSlug("walk");

        // 1. A tenant; 2. a read-only token for one of its integrations, shown once.
        admin.createTenant(tenant, "Acme Inc");
        IssuedToken token = admin.issue(tenant, "Website Integration", "alice", null, "read");

        // 3. The protected sample application with it: 200 and who called.
        JsonObject whoami = KeygateIT.object(AdminClient.expect(200,
                KeygateIT.getWithToken(SERVER.running().uri("/sample/api/whoami"), token.token())));
        assertEquals("alice", whoami.getString("principal"), whoami.toString());
        assertEquals(tenant, whoami.getString("tenant"), whoami.toString());

        // 4. Without a token: 401 with the bare challenge.
        assertBareChallenge(KeygateIT.get(SERVER.running().uri("/sample/api/whoami")), "/sample");

        // 5. A read token cannot write: 403 insufficient_scope naming the scope.
        Challenge scope = assertBearerError(KeygateIT.postJson(SERVER.running().uri("/sample/api/notes"),
                token.token(), "{\"text\":\"hi\"}"), 403, "insufficient_scope", "/sample");
        assertEquals("write", scope.params().get("scope"), scope.toString());

        // 6. The uses are counted (handed over within about a second, written every 2): the 200 and the 403.
        assertEquals(2, awaitUsageCount(admin, token, 2), "usageCount after one 200 and one 403");

        // 7. Revoked: 204, and the very next request with it is 401 invalid_token.
        admin.revoke(token);
        assertBearerError(KeygateIT.getWithToken(SERVER.running().uri("/sample/api/whoami"), token.token()),
                401, "invalid_token", "/sample");

        // Where the tokens went: the server's default location, when the test left it to the server.
        SERVER.running().defaultStoreFile().ifPresent(file ->
                assertTrue(Files.isRegularFile(file), "the default H2 store is at " + file));
    }

    @Test
    @Order(2)
    void theServerLogHasNoWarningOfKeygate() {
        assertEquals(List.of(), ServerLog.keygateWarnings(SERVER.running().log(), 0),
                "warnings and errors of Keygate in " + SERVER.running().log());
    }

    private static long awaitUsageCount(AdminClient admin, IssuedToken token, long expected) {
        long deadline = System.nanoTime() + 10_000_000_000L;
        long count = -1;
        while (System.nanoTime() < deadline) {
            count = admin.token(token).getJsonNumber("usageCount").longValue();
            if (count >= expected) {
                return count;
            }
            KeygateIT.pauseBetweenPolls();
        }
        return count;
    }
}
