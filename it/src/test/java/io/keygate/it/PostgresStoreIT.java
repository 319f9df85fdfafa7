package io.keygate.it;

import static io.keygate.it.AdminClient.expect;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.keygate.it.AdminClient.IssuedToken;
import io.keygate.token.TokenHash;
import jakarta.json.JsonObject;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ConditionEvaluationResult;
import org.junit.jupiter.api.extension.ExecutionCondition;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * {@code keygate.war} on PostgreSQL through the real server: its failsafe execution ({@code on-postgresql})
 * starts Payara Micro with {@code KEYGATE_DB_URL} naming the schema {@code keygate_it}, which Keygate creates
 * when it is missing. Then a dump of that schema must hold every token's hash and no token's plaintext.
 *
 * <p>When PostgreSQL is not reachable the class is skipped, before the server starts, with a message naming
 * the database; with {@code KEYGATE_REQUIRE_DATABASES=true} (CI) it fails instead.
 */
@ExtendWith(PostgresStoreIT.PostgresReachable.class)
class PostgresStoreIT extends OwnMicroIT {

    static final String HOST = requiredProperty("keygate.it.postgresql.host");
    static final int PORT = Integer.parseInt(requiredProperty("keygate.it.postgresql.port"));
    static final String DATABASE = requiredProperty("keygate.it.postgresql.database");
    static final String USER = requiredProperty("keygate.it.postgresql.user");
    static final String SCHEMA = requiredProperty("keygate.it.postgresql.schema");

    @Deployment(testable = false)
    static WebArchive deployment() {
        return sampleWar();
    }

    @Test
    void tokensAreStoredInPostgresqlAsHashesNeverAsPlaintext() {
        AdminClient admin = admin();
        String slug = uniqueSlug("pg");
        admin.createTenant(slug, "Tenant on PostgreSQL");
        IssuedToken first = admin.issue(slug, "Website Integration", "alice", null, "read");
        JsonObject whoami = object(expect(200, getWithToken(sample("/api/whoami"), first.token())));
        assertEquals(slug, whoami.getString("tenant"));

        JsonObject rotated = object(expect(201, admin.call("POST",
                "tenants/" + slug + "/tokens/" + first.id() + "/rotate", "{\"graceSeconds\": 0}")));
        IssuedToken second = new IssuedToken(slug, rotated.getString("id"), rotated.getString("token"), rotated);
        expect(200, getWithToken(sample("/api/whoami"), second.token()));
        admin.revoke(second);
        expect(401, getWithToken(sample("/api/whoami"), second.token()));

        Map<String, String> plaintexts = new LinkedHashMap<>();
        plaintexts.put("the first token", first.token());
        plaintexts.put("its successor", second.token());
        plaintexts.put("the bootstrap admin token (KEYGATE_ADMIN_TOKEN)", ADMIN_TOKEN);

        String dump = pgDump();

        assertTrue(dump.contains(slug), "the tenant is stored in schema " + SCHEMA + " on PostgreSQL");
        plaintexts.forEach((which, plaintext) -> {
            // The messages name the token, never show it.
            assertFalse(dump.contains(plaintext), "the dump contains the plaintext of " + which);
            assertTrue(dump.contains(TokenHash.of(plaintext)), "the dump lacks the hash of " + which);
        });
    }

    /** {@code pg_dump} of the schema Keygate uses, as an admin taking a backup would run it. */
    private static String pgDump() {
        ProcessBuilder command = new ProcessBuilder("pg_dump", "--no-password", "-h", HOST, "-p", String.valueOf(PORT),
                "-U", USER, "--schema=" + SCHEMA, DATABASE).redirectError(ProcessBuilder.Redirect.INHERIT);
        try {
            Process process = command.start();
            String dump = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!process.waitFor(60, TimeUnit.SECONDS) || process.exitValue() != 0) {
                throw new AssertionError("pg_dump of schema " + SCHEMA + " failed (see its message above)");
            }
            return dump;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot run pg_dump (PostgreSQL's client tools must be installed)", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /**
     * Runs the class only when PostgreSQL answers, decided before Arquillian starts the server. Unreachable:
     * skipped with a message naming the database, or a failure when {@code KEYGATE_REQUIRE_DATABASES=true}.
     */
    static final class PostgresReachable implements ExecutionCondition {

        @Override
        public ConditionEvaluationResult evaluateExecutionCondition(ExtensionContext context) {
            String database = "PostgreSQL at " + HOST + ":" + PORT + " (database " + DATABASE + ")";
            try (Socket socket = new Socket()) {
                socket.connect(new InetSocketAddress(HOST, PORT), 5000);
                return ConditionEvaluationResult.enabled(database + " is reachable");
            } catch (IOException e) {
                String message = database + " is not reachable: " + e.getMessage();
                if ("true".equalsIgnoreCase(System.getenv("KEYGATE_REQUIRE_DATABASES"))) {
                    throw new IllegalStateException(message + " (KEYGATE_REQUIRE_DATABASES=true requires it)");
                }
                return ConditionEvaluationResult.disabled(message
                        + " (skipped; KEYGATE_REQUIRE_DATABASES=true makes this a failure)");
            }
        }
    }
}
