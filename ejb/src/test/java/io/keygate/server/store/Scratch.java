package io.keygate.server.store;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * A fresh, empty schema on one of the {@link TestDatabase}s, made by {@link TestDatabase#createScratch()};
 * {@link #close()} drops it.
 *
 * @param name a name no other run uses ({@code kg_test_...})
 * @param url  the JDBC URL that lands in it
 */
record Scratch(TestDatabase database, String name, String url) implements AutoCloseable {

    /** Keygate's settings for this schema, as configuration would give them; {@code extra} adds keys. */
    StoreSettings settings(Map<String, String> extra) {
        Map<String, String> config = new HashMap<>(extra);
        config.put(StoreSettings.DB_URL, url);
        config.put(StoreSettings.DB_USER, database.user);
        return StoreSettings.from(key -> Optional.ofNullable(config.get(key)));
    }

    StoreSettings settings() {
        return settings(Map.of());
    }

    Connection connect() throws SQLException {
        return database.connect(url);
    }

    /**
     * Runs a DDL script as an admin would: statements end with {@code ;} at the end of a line, lines starting
     * with {@code --} are comments.
     */
    void run(Path script) {
        String text;
        try {
            text = Files.readString(script);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        String withoutComments = text.lines().filter(line -> !line.strip().startsWith("--"))
                .collect(Collectors.joining("\n"));
        List<String> statements = Arrays.stream(withoutComments.split(";\\s*(\\n|$)"))
                .map(String::strip).filter(s -> !s.isEmpty()).toList();
        try (Connection connection = connect(); Statement statement = connection.createStatement()) {
            for (String sql : statements) {
                statement.execute(sql);
            }
        } catch (SQLException e) {
            throw new IllegalStateException(database.label + ": " + script + " failed: " + e.getMessage(), e);
        }
    }

    @Override
    public void close() {
        database.drop(this);
    }
}
