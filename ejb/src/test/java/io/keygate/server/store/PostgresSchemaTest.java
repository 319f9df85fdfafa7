package io.keygate.server.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Keygate given a PostgreSQL schema of its own that does not exist yet ({@code ?currentSchema=...}). */
class PostgresSchemaTest {

    private Scratch missing;

    @BeforeEach
    void nameASchemaThatDoesNotExist() {
        missing = TestDatabase.POSTGRESQL.createScratch();
        missing.close();
    }

    @AfterEach
    void dropIt() throws SQLException {
        if (missing != null && exists()) {
            missing.close();
        }
    }

    @Test
    void keygateCreatesTheSchemaAndItsTables() throws SQLException {
        try (Database db = new Database(missing.settings())) {
            db.connect();
        }

        assertTrue(exists());
        try (Connection connection = missing.connect()) {
            assertTrue(Catalog.of(connection).contains("TABLE KG_TOKEN"), "the tables are in the new schema");
        }
    }

    @Test
    void withCreateSchemaOffTheSchemaIsLeftToTheAdmin() throws SQLException {
        try (Database db = new Database(missing.settings(Map.of(StoreSettings.CREATE_SCHEMA, "false")))) {
            assertThrows(StoreUnavailableException.class, db::connect);
        }

        assertEquals(false, exists());
    }

    private boolean exists() throws SQLException {
        try (Connection connection = missing.connect();
                var query = connection.prepareStatement("SELECT 1 FROM pg_namespace WHERE nspname = ?")) {
            query.setString(1, missing.name());
            try (var rows = query.executeQuery()) {
                return rows.next();
            }
        }
    }
}
