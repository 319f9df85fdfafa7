package io.keygate.server.metrics.export;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.keygate.config.ConfigLookup;
import jakarta.servlet.ServletException;
import java.util.Map;
import java.util.Properties;
import org.junit.jupiter.api.Test;

/** How often the live tokens are counted: a minute unless configured, and a bad value fails the deployment. */
class LiveTokensSecondsTest {

    private static ConfigLookup config(String seconds) {
        Map<String, String> values = seconds == null ? Map.of()
                : Map.of(MicroProfileMetricsExport.LIVE_TOKENS_SECONDS, seconds);
        return new ConfigLookup(null, values::get, Map.of(), new Properties());
    }

    @Test
    void aMinuteUnlessConfiguredFromOneSecondToADay() throws ServletException {
        assertEquals(60, MicroProfileMetricsExport.liveTokensSeconds(config(null)));
        assertEquals(1, MicroProfileMetricsExport.liveTokensSeconds(config("1")));
        assertEquals(86_400, MicroProfileMetricsExport.liveTokensSeconds(config("86400")));
    }

    @Test
    void zeroNegativeBeyondADayOrNotANumberThenRefused() {
        for (String bad : new String[] {"0", "-1", "86401", "hourly"}) {
            ServletException e = assertThrows(ServletException.class,
                    () -> MicroProfileMetricsExport.liveTokensSeconds(config(bad)), bad);
            assertEquals("Invalid Keygate configuration keygate.metrics.live-tokens-seconds=\"" + bad
                    + "\": expected a whole number from 1 to 86400", e.getMessage());
        }
    }
}
