package io.keygate.server.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Reading the store's configuration: the database is chosen by configuration alone, and bad values fail loudly. */
class StoreSettingsTest {

    private static StoreSettings read(Map<String, String> config) {
        return StoreSettings.from(key -> Optional.ofNullable(config.get(key)));
    }

    @Test
    void defaultIsAnH2FileInTheDataDirAndCreatesTheSchema() {
        StoreSettings settings = read(Map.of(StoreSettings.DATA_DIR, "/var/lib/keygate"));

        assertEquals("jdbc:h2:file:/var/lib/keygate/keygate;DB_CLOSE_ON_EXIT=FALSE", settings.url());
        assertTrue(settings.createSchema());
        assertEquals("create-or-extend-tables", settings.jpaProperties().get("eclipselink.ddl-generation"));
    }

    @Test
    void onWildFlyTheDefaultH2FileIsInTheServersDataFolderNotTheUsersHome() {
        Map<String, String> wildFly = Map.of("jboss.server.data.dir", "/opt/wildfly/standalone/data",
                "user.home", "/home/wildfly");

        assertEquals("jdbc:h2:file:/opt/wildfly/standalone/data/keygate/keygate;DB_CLOSE_ON_EXIT=FALSE",
                StoreSettings.from(key -> Optional.empty(), wildFly::get).url());
    }

    @Test
    void elsewhereTheDefaultH2FileIsInTheUsersHome() {
        Map<String, String> payara = Map.of("user.home", "/home/payara");

        assertEquals("jdbc:h2:file:/home/payara/.keygate/keygate;DB_CLOSE_ON_EXIT=FALSE",
                StoreSettings.from(key -> Optional.empty(), payara::get).url());
    }

    @Test
    void aConfiguredDataDirOrUrlWinsOverWildFlysDataFolder() {
        Map<String, String> wildFly = Map.of("jboss.server.data.dir", "/opt/wildfly/standalone/data");

        assertEquals("jdbc:h2:file:/srv/keygate/keygate;DB_CLOSE_ON_EXIT=FALSE", StoreSettings.from(
                key -> Optional.ofNullable(Map.of(StoreSettings.DATA_DIR, "/srv/keygate").get(key)), wildFly::get).url());
        assertEquals("jdbc:postgresql://db/keygate", StoreSettings.from(
                key -> Optional.ofNullable(Map.of(StoreSettings.DB_URL, "jdbc:postgresql://db/keygate").get(key)),
                wildFly::get).url());
    }

    @Test
    void createSchemaFalseIssuesNoDdl() {
        StoreSettings settings = read(Map.of(StoreSettings.DB_URL, "jdbc:postgresql://db/keygate",
                StoreSettings.CREATE_SCHEMA, "FALSE"));

        assertFalse(settings.createSchema());
        assertEquals("none", settings.jpaProperties().get("eclipselink.ddl-generation"));
        assertEquals("none", settings.jpaProperties().get("jakarta.persistence.schema-generation.database.action"));
    }

    @Test
    void badValuesFailNamingTheKeyAndTheValue() {
        IllegalArgumentException createSchema = assertThrows(IllegalArgumentException.class,
                () -> read(Map.of(StoreSettings.CREATE_SCHEMA, "no")));
        assertEquals("keygate.db.create-schema must be true or false, got 'no'", createSchema.getMessage());

        IllegalArgumentException mysql = assertThrows(IllegalArgumentException.class,
                () -> read(Map.of(StoreSettings.DB_URL, "jdbc:mysql://db/keygate")));
        assertTrue(mysql.getMessage().startsWith("keygate.db.url must be a jdbc:h2:, jdbc:postgresql: or jdbc:mariadb:"
                + " URL"), mysql.getMessage());
    }

    @Test
    void eachShippedDriverIsChosenByItsUrl() {
        assertEquals("org.h2.Driver", StoreSettings.driverFor("jdbc:h2:mem:x"));
        assertEquals("org.postgresql.Driver", StoreSettings.driverFor("jdbc:postgresql://db/keygate"));
        assertEquals("org.mariadb.jdbc.Driver", StoreSettings.driverFor("jdbc:mariadb://db/keygate"));
    }

    @Test
    void thePasswordIsNeverDescribed() {
        StoreSettings settings = read(Map.of(StoreSettings.DB_URL,
                "jdbc:postgresql://db/keygate?user=kg&password=s3cret&ssl=true", StoreSettings.DB_PASSWORD, "other"));

        assertEquals("jdbc:postgresql://db/keygate?user=kg&password=***&ssl=true", settings.describe());
    }

    @Test
    void theProvidersSessionIsNotNamedAfterTheUrl() {
        StoreSettings settings = read(Map.of(StoreSettings.DB_URL, "jdbc:postgresql://db.example/keygate",
                StoreSettings.DB_USER, "kg"));

        String name = (String) settings.jpaProperties().get("eclipselink.session-name");
        assertTrue(name.matches("keygate-[0-9a-f]+"), name);
        assertFalse(name.equals(read(Map.of(StoreSettings.DB_URL, "jdbc:h2:mem:other")).jpaProperties()
                .get("eclipselink.session-name")), "one session per store");
    }

    @Test
    void postgresCurrentSchemaIsFoundWhenItIsAPlainIdentifier() {
        assertEquals(Optional.of("keygate"), PostgresSchema.named("jdbc:postgresql://db/app?currentSchema=keygate"));
        assertEquals(Optional.of("kg_it"), PostgresSchema.named("jdbc:postgresql://db/app?ssl=true&currentSchema=KG_it,public"));
        assertEquals(Optional.of("keygate"), PostgresSchema.named("jdbc:postgresql://db/app?currentSchema=keygate%2Cpublic"));
        assertEquals(Optional.empty(), PostgresSchema.named("jdbc:postgresql://db/app"));
        assertEquals(Optional.empty(), PostgresSchema.named("jdbc:postgresql://db/app?currentSchema=%22odd-name%22"));
        assertEquals(Optional.empty(), PostgresSchema.named("jdbc:mariadb://db/app?currentSchema=keygate"));
    }
}
