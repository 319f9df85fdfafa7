package io.keygate.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.keygate.config.fakemp.FakeConfigProvider;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class MicroProfileConfigTest {

    private static final String KEY = "keygate.access-token.lifetime-seconds";

    @AfterEach
    void forget() {
        FakeConfigProvider.values = Map.of();
    }

    @Test
    void ofWhenTheServerOffersNoMicroProfileConfigThenNone() {
        // The unit tests' class path has no MicroProfile Config, as WildFly's default standalone.xml offers none.
        assertNull(MicroProfileConfig.of(getClass().getClassLoader()));
        assertFalse(ConfigLookup.of(getClass().getClassLoader(), null).readsMicroProfileConfig());
    }

    @Test
    void ofWhenOfferedThenAsksForTheApplicationsConfigAndReadsIt() {
        FakeConfigProvider.values = Map.of(KEY, "600");
        UnaryOperator<String> config = fake();
        assertSame(getClass().getClassLoader(), FakeConfigProvider.askedFor);
        assertEquals("600", config.apply(KEY));
        assertNull(config.apply("keygate.realm"));
    }

    @Test
    void getWhenMicroProfileConfigHasTheKeyThenItWinsOverEverySourceOfKeygatesOwn() {
        FakeConfigProvider.values = Map.of(KEY, "600");
        Properties system = new Properties();
        system.setProperty(KEY, "900");
        ConfigLookup config = new ConfigLookup(fake(), null, k -> "1200", Map.of("KEYGATE_ACCESS_TOKEN_LIFETIME_SECONDS",
                "300"), system);
        assertTrue(config.readsMicroProfileConfig());
        assertEquals(Optional.of("600"), config.get(KEY));
    }

    @Test
    void getWhenMicroProfileConfigHasNoValueThenKeygatesOwnSourcesAnswerBlankValuesIncluded() {
        FakeConfigProvider.values = Map.of(KEY, "");
        ConfigLookup config = new ConfigLookup(fake(), null, k -> "/web",
                Map.of("KEYGATE_ACCESS_TOKEN_LIFETIME_SECONDS", "", "KEYGATE_REALM", "api"), new Properties());
        assertEquals(Optional.of(""), config.get(KEY), "a blank environment variable still blanks web.xml out");
        assertEquals(Optional.of("api"), config.get("keygate.realm"));
        assertEquals(Optional.of("/web"), config.get("keygate.public-paths"));
    }

    @Test
    void getWhenMicroProfileConfigFailsThenTheKeyIsNamedButNeverTheValue() {
        FakeConfigProvider.values = Map.of("keygate.admin-token", "throw");
        UnaryOperator<String> config = fake();
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> config.apply("keygate.admin-token"));
        assertTrue(e.getMessage().contains("keygate.admin-token"), e.getMessage());
        assertFalse(e.getMessage().contains("secret-value"), e.getMessage());
        assertNull(e.getCause(), "the cause's message may quote the value");
    }

    private UnaryOperator<String> fake() {
        return MicroProfileConfig.of(getClass().getClassLoader(), FakeConfigProvider.class.getName(),
                FakeConfigProvider.FakeConfig.class.getName());
    }
}
