package io.keygate.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConfigLookupTest {

    private static final String KEY = "keygate.public-paths";

    @TempDir
    Path dir;

    @Test
    void environmentNamesThenExactThenUnderscoredThenUpperCase() {
        assertEquals(List.of("keygate.public-paths", "keygate_public_paths", "KEYGATE_PUBLIC_PATHS"),
                ConfigLookup.environmentNames(KEY));
    }

    @Test
    void getWhenOnlyUpperCaseEnvironmentVariableThenFound() {
        ConfigLookup config = lookup(null, k -> "/web", Map.of("KEYGATE_PUBLIC_PATHS", "/env"), new Properties());
        assertEquals(Optional.of("/env"), config.get(KEY));
    }

    @Test
    void getWhenExactEnvironmentNameAndUpperCaseThenExactWins() {
        ConfigLookup config = lookup(null, null,
                Map.of("KEYGATE_PUBLIC_PATHS", "/upper", "keygate_public_paths", "/lower", KEY, "/exact"),
                new Properties());
        assertEquals(Optional.of("/exact"), config.get(KEY));
    }

    @Test
    void getWhenSystemPropertyAndEnvironmentThenSystemPropertyWins() {
        Properties system = new Properties();
        system.setProperty(KEY, "/system");
        ConfigLookup config = lookup(null, k -> "/web", Map.of("KEYGATE_PUBLIC_PATHS", "/env"), system);
        assertEquals(Optional.of("/system"), config.get(KEY));
    }

    @Test
    void getWhenPropertiesFileAndFallbackThenFileWins() throws IOException {
        ClassLoader loader = loaderWith(dir.resolve("a"), KEY + "=/file\n");
        ConfigLookup config = lookup(loader, k -> "/web", Map.of(), new Properties());
        assertEquals(Optional.of("/file"), config.get(KEY));
    }

    @Test
    void getWhenEnvironmentAndPropertiesFileThenEnvironmentWins() throws IOException {
        ClassLoader loader = loaderWith(dir.resolve("a"), KEY + "=/file\n");
        ConfigLookup config = lookup(loader, null, Map.of("KEYGATE_PUBLIC_PATHS", "/env"), new Properties());
        assertEquals(Optional.of("/env"), config.get(KEY));
    }

    @Test
    void getWhenTwoPropertiesFilesThenHigherConfigOrdinalWins() throws IOException {
        Path low = write(dir.resolve("low"), KEY + "=/low\n");
        Path high = write(dir.resolve("high"), "config_ordinal=200\n" + KEY + "=/high\n");
        ClassLoader loader = new URLClassLoader(new URL[] {low.toUri().toURL(), high.toUri().toURL()}, null);
        assertEquals(Optional.of("/high"), lookup(loader, null, Map.of(), new Properties()).get(KEY));
    }

    @Test
    void getWhenPropertiesFileOrdinalAboveSystemPropertiesThenFileWins() throws IOException {
        ClassLoader loader = loaderWith(dir.resolve("a"), "config_ordinal=500\n" + KEY + "=/file\n");
        Properties system = new Properties();
        system.setProperty(KEY, "/system");
        assertEquals(Optional.of("/file"), lookup(loader, null, Map.of(), system).get(KEY));
    }

    @Test
    void getWhenBadConfigOrdinalThenDefaultOrdinal() throws IOException {
        ClassLoader loader = loaderWith(dir.resolve("a"), "config_ordinal=high\n" + KEY + "=/file\n");
        assertEquals(Optional.of("/file"), lookup(loader, k -> "/web", Map.of(), new Properties()).get(KEY));
    }

    @Test
    void getWhenOnlyFallbackThenFallback() {
        assertEquals(Optional.of("/web"), lookup(null, k -> "/web", Map.of(), new Properties()).get(KEY));
    }

    @Test
    void getWhenNowhereThenEmpty() {
        assertTrue(lookup(null, k -> null, Map.of(), new Properties()).get(KEY).isEmpty());
        assertTrue(lookup(null, null, Map.of(), new Properties()).get(KEY).isEmpty());
    }

    @Test
    void getWhenBlankEnvironmentVariableThenBlankValueHidesFallback() {
        ConfigLookup config = lookup(null, k -> "/web", Map.of("KEYGATE_PUBLIC_PATHS", ""), new Properties());
        assertEquals(Optional.of(""), config.get(KEY));
    }

    @Test
    void getWhenPropertiesFileIsUtf8ThenReadAsUtf8() throws IOException {
        ClassLoader loader = loaderWith(dir.resolve("a"), "keygate.realm=Zürich\n");
        assertEquals(Optional.of("Zürich"), lookup(loader, null, Map.of(), new Properties()).get("keygate.realm"));
    }

    private static ConfigLookup lookup(ClassLoader loader, java.util.function.UnaryOperator<String> fallback,
            Map<String, String> env, Properties system) {
        return new ConfigLookup(loader, fallback, env, system);
    }

    private static ClassLoader loaderWith(Path root, String content) throws IOException {
        return new URLClassLoader(new URL[] {write(root, content).toUri().toURL()}, null);
    }

    private static Path write(Path root, String content) throws IOException {
        Path file = root.resolve(ConfigLookup.PROPERTIES_RESOURCE);
        Files.createDirectories(file.getParent());
        Files.writeString(file, content);
        return root;
    }
}
