package io.keygate.it;

import static io.keygate.it.AdminClient.expect;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.keygate.it.AdminClient.IssuedToken;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * A Keygate key set the way a Payara administrator sets any MicroProfile Config value, as a config property of the
 * server ({@code asadmin set-config-property ... --source=domain}), and not as a system property, an environment
 * variable or a properties file: {@code keygate.war} obeys it (docs/configuration.md). Payara Micro runs the
 * command from a post-boot command file, since {@code set-config-property} fails before the server booted.
 */
class ConfigPropertyProcessIT {

    static final int PORT = Integer.parseInt(KeygateIT.requiredProperty("keygate.it.config.port"));
    static final Path KEYGATE_WAR = Path.of(KeygateIT.requiredProperty("keygate.it.keygate-war"));
    static final Path WORK = Path.of(KeygateIT.requiredProperty("keygate.it.remote.work"));
    static final URI KEYGATE = URI.create("http://localhost:" + PORT + "/keygate/");

    @Test
    void accessTokenLifetimeSetAsAPayaraConfigPropertyIsObeyed() throws IOException {
        Path commands = Files.createDirectories(WORK.resolve("config-property"))
                .resolve("post-boot-commands.asadmin");
        Files.writeString(commands, "set-config-property --propertyName=keygate.access-token.lifetime-seconds"
                + " --propertyValue=600 --source=domain\n", StandardCharsets.UTF_8);
        try (MicroProcess server = MicroProcess.start("config-property", PORT, List.of(KEYGATE_WAR),
                Map.of("KEYGATE_ADMIN_TOKEN", KeygateIT.ADMIN_TOKEN,
                        "KEYGATE_DATA_DIR", WORK.resolve("config-property-data").toString()),
                List.of("--postbootcommandfile", commands.toString()))) {
            server.awaitReady(Duration.ofMinutes(2));
            AdminClient admin = new AdminClient(KEYGATE.resolve("api/v1/"), KeygateIT.ADMIN_TOKEN);
            String slug = KeygateIT.uniqueSlug("config");
            admin.createTenant(slug, "Configured by Payara");
            IssuedToken secret = admin.issue(slug, "Client secret", null, null, "read");

            long expiresIn = KeygateIT.object(expect(200, KeygateIT.send(KeygateIT.request(KEYGATE.resolve(
                    "oauth2/token")).header("Content-Type", "application/x-www-form-urlencoded")
                    .POST(HttpRequest.BodyPublishers.ofString("grant_type=client_credentials&client_id="
                            + URLEncoder.encode(secret.id(), StandardCharsets.UTF_8) + "&client_secret="
                            + URLEncoder.encode(secret.token(), StandardCharsets.UTF_8)))
                    .build()))).getJsonNumber("expires_in").longValue();

            assertEquals(600, expiresIn, "keygate.access-token.lifetime-seconds=600, a Payara config property");
            server.stop();
        }
    }
}
