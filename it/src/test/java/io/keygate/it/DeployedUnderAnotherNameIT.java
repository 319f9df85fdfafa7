package io.keygate.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.keygate.it.AdminClient.IssuedToken;
import jakarta.json.JsonObject;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * On Payara Server, {@code keygate.war} deployed under an application name of the administrator's choosing: with
 * {@code asadmin deploy --name keygate-v2} the verifier is bound at {@code java:global/keygate-v2/...}, so a
 * protected WAR finds it only when told so by {@code keygate.verifier-jndi} (here a system property of the domain,
 * as an administrator sets one with {@code asadmin create-system-properties}), and answers 503 without; a versioned
 * file name ({@code keygate-<version>.war}) deployed without {@code --name} is named {@code keygate} after the
 * module name of its {@code web.xml}, so nothing needs setting.
 *
 * <p>Runs last on the domain of the every-server suite (the class order of the execution): the 503s here log
 * warnings of Keygate that {@link WalkThroughIT}'s check of the log must not see, and the redeploys here must not
 * happen under the suite's requests. Each test leaves {@code keygate.war} deployed as {@code keygate} and the domain
 * without the setting.
 */
@Tag("payara-server")
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
@Order(Integer.MAX_VALUE)
class DeployedUnderAnotherNameIT {

    @RegisterExtension
    static final ServerUnderTest SERVER = new ServerUnderTest();

    private static final String VERIFIER_JNDI = "keygate.verifier-jndi";
    private static final String RENAMED_JNDI = "java:global/keygate-v2/TokenVerifier!javax.script.Invocable";

    @Test
    @Order(1)
    void aVerifierDeployedUnderAnotherNameIsFoundWhereTheSettingSays() {
        Asadmin asadmin = payara().asadmin();
        redeployKeygate(asadmin, "--name", "keygate-v2", "--contextroot", "keygate",
                KeygateIT.requiredProperty("keygate.it.keygate-war"));
        try {
            // The admin API still answers at /keygate; the sample looks at the standard name and finds nothing.
            IssuedToken unseen = issueToken();
            HttpResponse<String> without = whoami(unseen);
            assertEquals(503, without.statusCode(), without.body());
            assertEquals("temporarily_unavailable", KeygateIT.object(without).getString("error"), without.body());

            // The setting, as a system property of the domain (':' escaped for asadmin), and the sample restarted.
            asadmin.run("create-system-properties", VERIFIER_JNDI + "=" + RENAMED_JNDI.replace(":", "\\:"));
            restart(asadmin, "sample");
            assertAlice(whoami(issueToken()));
        } finally {
            if (asadmin.run("list-system-properties").contains(VERIFIER_JNDI)) {
                asadmin.run("delete-system-property", VERIFIER_JNDI);
            }
            redeployKeygate(asadmin, "--contextroot", "keygate", KeygateIT.requiredProperty("keygate.it.keygate-war"));
            restart(asadmin, "sample");
        }
    }

    @Test
    @Order(2)
    void aVersionedFileNameIsDeployedAsKeygate() throws IOException {
        PayaraServerProcess payara = payara();
        Path versioned = Files.copy(Path.of(KeygateIT.requiredProperty("keygate.it.keygate-war")),
                payara.domainDir().resolve("keygate-" + KeygateIT.requiredProperty("keygate.it.version") + ".war"),
                StandardCopyOption.REPLACE_EXISTING);

        String deployed = redeployKeygate(payara.asadmin(), "--contextroot", "keygate", versioned.toString());

        assertTrue(deployed.contains("Application deployed with name keygate."), deployed);
        String applications = payara.asadmin().run("list-applications");
        assertFalse(applications.contains(versioned.getFileName().toString().replace(".war", "")), applications);
        // A token the sample has never seen, so its answer comes from the verifier, found at the standard name.
        assertAlice(awaitNot503(issueToken()));
    }

    /** Undeploys {@code keygate.war} under whichever name it has, deploys it with {@code deploy}; returns the output. */
    private static String redeployKeygate(Asadmin asadmin, String... deploy) {
        String applications = asadmin.run("list-applications");
        for (String name : new String[] {"keygate-v2", "keygate"}) {
            if (applications.lines().anyMatch(line -> line.startsWith(name + " "))) {
                asadmin.run("undeploy", name);
            }
        }
        String[] command = new String[deploy.length + 1];
        command[0] = "deploy";
        System.arraycopy(deploy, 0, command, 1, deploy.length);
        return asadmin.run(command);
    }

    /** What an administrator does to make a WAR read its settings again: disable and enable it. */
    private static void restart(Asadmin asadmin, String application) {
        asadmin.run("disable", application);
        asadmin.run("enable", application);
    }

    private static IssuedToken issueToken() {
        AdminClient admin = new AdminClient(SERVER.running().uri("/keygate/api/v1/"), KeygateIT.ADMIN_TOKEN);
        String tenant = KeygateIT.uniqueSlug("renamed");
        admin.createTenant(tenant, "Renamed Inc");
        return admin.issue(tenant, "Integration", "alice", null, "read");
    }

    private static HttpResponse<String> whoami(IssuedToken token) {
        return KeygateIT.getWithToken(SERVER.running().uri("/sample/api/whoami"), token.token());
    }

    /**
     * The sample's answer once the verifier is found: the filter drops the proxy of an undeployed {@code keygate.war}
     * when a call through it fails, so the first request after a redeployment may still get 503.
     */
    private static HttpResponse<String> awaitNot503(IssuedToken token) {
        long deadline = System.nanoTime() + 10_000_000_000L;
        HttpResponse<String> response = whoami(token);
        while (response.statusCode() == 503 && System.nanoTime() < deadline) {
            KeygateIT.pauseBetweenPolls();
            response = whoami(token);
        }
        return response;
    }

    private static void assertAlice(HttpResponse<String> response) {
        assertEquals(200, response.statusCode(), response.body());
        JsonObject whoami = KeygateIT.object(response);
        assertEquals("alice", whoami.getString("principal"), whoami.toString());
    }

    private static PayaraServerProcess payara() {
        if (SERVER.running().process() instanceof PayaraServerProcess payara) {
            return payara;
        }
        throw new IllegalStateException("DeployedUnderAnotherNameIT runs on Payara Server (keygate.it.server="
                + "payara-server), not on " + SERVER.running().name());
    }
}
