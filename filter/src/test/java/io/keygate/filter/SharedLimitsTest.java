package io.keygate.filter;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.keygate.limits.ThrottleSettings;
import io.keygate.protocol.VerifierProtocol;
import io.keygate.testing.FakeRequest;
import io.keygate.token.TokenFormat;
import io.keygate.token.TokenHash;
import jakarta.servlet.ServletException;
import java.io.IOException;
import java.security.SecureRandom;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import javax.script.Invocable;
import org.junit.jupiter.api.Test;

/**
 * Several WARs on one server, each with its own filter, calling one verifier: a token's {@code rateLimit} and the
 * brute-force throttle hold for the server, not per WAR, since every filter counts on the board the verifier hands
 * over ({@link VerifierProtocol#LIMITS}).
 */
class SharedLimitsTest {

    private static final SecureRandom RANDOM = new SecureRandom();
    private static final String LIMITED = TokenFormat.generate(RANDOM);
    private static final String UNKNOWN = TokenFormat.generate(RANDOM);

    private final FakeClock clock = new FakeClock();
    private final Map<String, Object> answers = new HashMap<>();
    private final FakeVerifier keygate = verifier();
    private volatile Invocable deployed = keygate;

    SharedLimitsTest() {
        Map<String, Object> limited = new HashMap<>(FakeVerifier.valid("acme", "tok-3", "carol", List.of("read"), null));
        limited.put(VerifierProtocol.RATE_LIMIT, List.of(4L, 60L));
        answers.put(TokenHash.of(LIMITED), limited);
    }

    private FakeVerifier verifier() {
        return new FakeVerifier(hash -> answers.getOrDefault(hash, FakeVerifier.result(VerifierProtocol.INVALID)))
                .subscribable();
    }

    /** The filter of one WAR, finding whichever keygate.war is deployed. */
    private KeygateFilter war(String contextPath) {
        try {
            return new KeygateFilter(FilterSettingsTest.settings(Map.of(ThrottleSettings.MAX_FAILURES, "2"),
                    contextPath), new VerifierClient(() -> deployed), clock);
        } catch (ServletException e) {
            throw new AssertionError(e);
        }
    }

    private static int status(KeygateFilter filter, String token) throws IOException, ServletException {
        FakeResponse response = new FakeResponse();
        filter.doFilter(FakeRequest.get("/api/whoami").bearer(token).build(), response.build(), new RecordingChain());
        return response.status;
    }

    private static int admitted(KeygateFilter first, KeygateFilter second, int requests) throws Exception {
        int admitted = 0;
        for (int i = 0; i < requests; i++) {
            admitted += status(i % 2 == 0 ? first : second, LIMITED) == 200 ? 1 : 0;
        }
        return admitted;
    }

    @Test
    void twoWarsSubscribedToOneVerifierShareOneQuota() throws Exception {
        assertEquals(4, admitted(war("/orders"), war("/billing"), 10), "4 per minute for the token, not per WAR");
    }

    @Test
    void aClientThatFailedAtOneWarIsThrottledAtAnother() throws Exception {
        KeygateFilter orders = war("/orders");
        KeygateFilter billing = war("/billing");
        assertEquals(200, status(billing, LIMITED));
        assertEquals(401, status(orders, UNKNOWN));
        assertEquals(401, status(orders, UNKNOWN));

        assertEquals(429, status(billing, LIMITED), "two failures at /orders: the client waits at /billing too");
    }

    @Test
    void aVerifierWithoutTheBoardLeavesEachWarCountingAlone() throws Exception {
        keygate.withoutLimits();
        assertEquals(8, admitted(war("/orders"), war("/billing"), 10));
    }

    @Test
    void afterKeygateWarIsDeployedAgainTheWarsShareItsNewBoard() throws Exception {
        KeygateFilter orders = war("/orders");
        KeygateFilter billing = war("/billing");
        assertEquals(4, admitted(orders, billing, 10));

        keygate.retire();
        deployed = verifier();
        assertEquals(4, admitted(orders, billing, 10), "a new keygate.war, a new board: shared again");
    }
}
