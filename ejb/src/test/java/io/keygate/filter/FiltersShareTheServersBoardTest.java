package io.keygate.filter;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.keygate.filter.handover.FailureTally;
import io.keygate.limits.CountBoard;
import io.keygate.limits.ThrottleSettings;
import io.keygate.metrics.CurrentCounts;
import io.keygate.protocol.FunctionsOnlyInvocable;
import io.keygate.server.access.ClientAddress;
import io.keygate.server.access.TokenLimitsGate;
import io.keygate.server.audit.RecordedAudit;
import io.keygate.server.metrics.ServerMetrics;
import io.keygate.server.store.ApiToken;
import io.keygate.server.store.TokenDetails;
import io.keygate.server.store.TokenLimits;
import io.keygate.server.store.Verification;
import io.keygate.server.usage.UsageCounter;
import io.keygate.server.verify.ChangeLog;
import io.keygate.server.verify.VerifierFunctions;
import io.keygate.transport.IpRange;
import io.keygate.transport.TransportSecurity;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/**
 * The filters of two WARs, wired as on a server, over the real {@link VerifierFunctions} of {@code keygate.war}: a
 * token limited to 4 requests a minute gets 4 in all, whichever WAR or {@code keygate.war} endpoint it calls. The
 * filter's tests cannot show this alone, since their fake verifier is not {@code keygate.war}, whose board must be
 * the one its own endpoints count on.
 */
class FiltersShareTheServersBoardTest {

    private static final ApiToken TOKEN = new ApiToken("tok_1", "acme", "a".repeat(64), "kg_abcde",
            new TokenDetails("Integration", "alice", Set.of("read"), null), Instant.EPOCH);
    private static final TokenLimits LIMITS = new TokenLimits(new TokenLimits.Rate(4, 60), null);

    private final AtomicLong now = new AtomicLong(1_767_225_600_000L);
    private final CountBoard board = new CountBoard();
    private final ServerMetrics metrics = new ServerMetrics();
    private final VerifierFunctions functions = new VerifierFunctions(
            hash -> new Verification.Valid(TOKEN, Set.of("read"), LIMITS, null), new ChangeLog(ChangeLog.CAPACITY),
            new UsageCounter(), new RecordedAudit().summaries(), board, metrics);
    /** The EJB's view: {@code TokenVerifier} does no more than this. */
    private final FunctionsOnlyInvocable keygateWar = new FunctionsOnlyInvocable() {
        @Override
        public Object invokeFunction(String name, Object... args) throws NoSuchMethodException {
            return functions.invoke(name, args);
        }
    };
    private final TokenLimitsGate adminApi = new TokenLimitsGate(board, now::get);

    /** One WAR's filter parts: its verdicts (which subscribe, and so take the board) and its limits. */
    private final class War {
        private final String application;
        private final VerifierClient client = new VerifierClient(() -> keygateWar);
        private final io.keygate.limits.CurrentBoard current = new io.keygate.limits.CurrentBoard();
        private final Verdicts verdicts;

        War(String application) {
            this.application = application;
            verdicts = new Verdicts(client, CacheSettings.DEFAULT, now::get, current, new CurrentCounts(), application);
        }
        private final RequestLimits limits = new RequestLimits(new TransportSecurity(true, true, List.of()),
                new ThrottleSettings(20, Duration.ofSeconds(60)), current, now::get, new FailureTally());

        boolean request() {
            VerificationResult result = verdicts.verify("b".repeat(64));
            return result instanceof VerificationResult.Valid valid
                    && limits.admit(valid.token(), null, null, null).admitted();
        }
    }

    @Test
    void aTokenLimitedToFourAMinuteGetsFourAcrossTwoWarsAndKeygateWar() {
        War orders = new War("/orders");
        War billing = new War("/billing");
        int admitted = 0;
        for (int i = 0; i < 4; i++) {
            admitted += orders.request() ? 1 : 0;
            admitted += billing.request() ? 1 : 0;
            admitted += adminApi.admit("tok_1", LIMITS, new ClientAddress(IpRange.parseAddress("192.0.2.1")))
                    .admitted() ? 1 : 0;
        }
        assertEquals(4, admitted);
        assertTrue(orders.current.shared(), "the filter counts on keygate.war's board");
    }

    @Test
    void eachWarsCacheCountsLandInKeygateWarsMetricsUnderItsName() {
        War orders = new War("/orders");
        War billing = new War("/billing");
        for (int i = 0; i < 3; i++) {
            orders.request();
        }
        billing.request();

        assertEquals(1, metrics.forApplication(orders.application).cacheMisses());
        assertEquals(2, metrics.forApplication(orders.application).cacheHits());
        assertEquals(1, metrics.forApplication(billing.application).cacheMisses());
        assertEquals(0, metrics.forApplication(billing.application).cacheHits());
        assertEquals(Set.of("/orders", "/billing"), metrics.applications().keySet());
    }
}
