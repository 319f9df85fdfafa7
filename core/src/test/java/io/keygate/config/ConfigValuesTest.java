package io.keygate.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import jakarta.servlet.ServletException;
import java.util.Map;
import java.util.Properties;
import org.junit.jupiter.api.Test;

/** A number key outside its range fails the deployment with a message that names the key, the value and the range. */
class ConfigValuesTest {

    private static final String KEY = "keygate.example.seconds";

    private static ConfigLookup config(String value) {
        Map<String, String> values = value == null ? Map.of() : Map.of(KEY, value);
        return new ConfigLookup(null, values::get, Map.of(), new Properties());
    }

    @Test
    void aNumberWithinItsBoundsIsReadAndAnUnsetOneIsTheDefault() throws ServletException {
        assertEquals(60, ConfigValues.number(config(null), KEY, 60, 1, 86_400));
        assertEquals(60, ConfigValues.number(config("  "), KEY, 60, 1, 86_400));
        assertEquals(1, ConfigValues.number(config("1"), KEY, 60, 1, 86_400));
        assertEquals(86_400, ConfigValues.number(config(" 86400 "), KEY, 60, 1, 86_400));
        assertEquals(0, ConfigValues.number(config("0"), KEY, 60, 86_400), "without a minimum, 0 is allowed");
    }

    @Test
    void belowTheMinimumAboveTheMaximumOrNotANumberThenTheMessageSaysTheRange() {
        for (String bad : new String[] {"0", "-5", "86401", "soon", "1.5"}) {
            ServletException e = assertThrows(ServletException.class,
                    () -> ConfigValues.number(config(bad), KEY, 60, 1, 86_400), bad);
            assertEquals("Invalid Keygate configuration " + KEY + "=\"" + bad + "\": expected a whole number from 1 to"
                    + " 86400", e.getMessage());
        }
    }
}
