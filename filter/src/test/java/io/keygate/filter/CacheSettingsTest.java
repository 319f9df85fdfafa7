package io.keygate.filter;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.keygate.config.ConfigLookup;
import jakarta.servlet.ServletException;
import java.util.Map;
import java.util.Properties;
import org.junit.jupiter.api.Test;

class CacheSettingsTest {

    private static CacheSettings read(Map<String, String> webXml) throws ServletException {
        return CacheSettings.read(new ConfigLookup(null, webXml::get, Map.of(), new Properties()));
    }

    @Test
    void readWhenNothingConfiguredThenDefaults() throws ServletException {
        assertEquals(new CacheSettings(10_000, 60_000, 30_000), read(Map.of()));
        assertEquals(CacheSettings.DEFAULT, read(Map.of(CacheSettings.TTL_SECONDS, " ")));
        assertEquals(CacheSettings.DEFAULT, FilterSettingsTest.settings(Map.of()).cache());
    }

    @Test
    void readWhenConfiguredThenThoseValues() throws ServletException {
        CacheSettings settings = read(Map.of(CacheSettings.MAX_ENTRIES, "500", CacheSettings.TTL_SECONDS, "5",
                CacheSettings.NEGATIVE_TTL_SECONDS, "0"));
        assertEquals(new CacheSettings(500, 5_000, 0), settings);
        assertTrue(settings.enabled());
        assertFalse(read(Map.of(CacheSettings.MAX_ENTRIES, "0")).enabled());
        assertFalse(read(Map.of(CacheSettings.TTL_SECONDS, "0", CacheSettings.NEGATIVE_TTL_SECONDS, "0")).enabled());
    }

    @Test
    void readWhenBadValueThenExceptionNamingKeyAndValue() {
        for (Map.Entry<String, String> bad : Map.of(CacheSettings.MAX_ENTRIES, "lots",
                CacheSettings.TTL_SECONDS, "-1", CacheSettings.NEGATIVE_TTL_SECONDS, "86401").entrySet()) {
            ServletException e = assertThrows(ServletException.class, () -> read(Map.ofEntries(bad)));
            assertTrue(e.getMessage().startsWith("Invalid Keygate configuration " + bad.getKey() + "=\""
                    + bad.getValue() + "\": expected a whole number from 0 to "), e.getMessage());
        }
        assertThrows(ServletException.class, () -> read(Map.of(CacheSettings.MAX_ENTRIES, "10000001")));
    }
}
