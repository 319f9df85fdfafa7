package io.keygate.filter;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.keygate.filter.handover.FailureHandOver;
import io.keygate.filter.handover.FailureTally;
import io.keygate.protocol.FunctionsOnlyInvocable;
import io.keygate.server.audit.FailureSummaries;
import io.keygate.server.audit.RecordedAudit;
import io.keygate.server.store.AuditEvent;
import io.keygate.server.store.Verification;
import io.keygate.server.usage.UsageCounter;
import io.keygate.server.verify.ChangeLog;
import io.keygate.server.verify.VerifierFunctions;
import io.keygate.token.TokenFormat;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.security.SecureRandom;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/**
 * The filter's own failure report, made by its {@link FailureTally} and {@link FailureHandOver} and sent by its
 * {@link VerifierClient}, handed to the real {@link VerifierFunctions} of {@code keygate.war}: it must be taken and
 * reach the audit log. A report the verifier refused would be taken by the filter for a verifier too old to know
 * the function, and the filter would stop reporting after one warning; the filter's tests alone cannot see that,
 * since their fake verifier is not {@code keygate.war}.
 */
class FilterFailureReportToVerifierTest {

    private final RecordedAudit recorded = new RecordedAudit();
    private final List<AuditEvent> audit = recorded.events();
    private final FailureSummaries summaries = recorded.summaries();
    private final VerifierFunctions functions = new VerifierFunctions(hash -> Verification.INVALID,
            new ChangeLog(ChangeLog.CAPACITY), new UsageCounter(), summaries, new io.keygate.limits.CountBoard(),
            new io.keygate.server.metrics.ServerMetrics());
    /** The EJB's view: {@code TokenVerifier} does no more than this. */
    private final FunctionsOnlyInvocable keygateWar = new FunctionsOnlyInvocable() {
        @Override
        public Object invokeFunction(String name, Object... args) throws NoSuchMethodException {
            return functions.invoke(name, args);
        }
    };
    private final VerifierClient client = new VerifierClient(() -> keygateWar);
    private final AtomicLong now = new AtomicLong(1_767_225_540_000L);

    @Test
    void everyReasonFromEveryKindOfClientThenTakenAndInTheAuditLog() throws Exception {
        FailureTally tally = new FailureTally();
        FailureHandOver handOver = new FailureHandOver(tally, client, "/sample", now::get);
        String token = TokenFormat.generate(new SecureRandom());
        List<String> clients = List.of("203.0.113.9", InetAddress.getByName("2001:db8::1").getHostAddress(),
                Inet6Address.getByAddress(null, InetAddress.getByName("fe80::1").getAddress(), 2).getHostAddress(),
                RequestLimits.UNKNOWN_CLIENT);
        for (String address : clients) {
            for (FailureTally.Reason reason : FailureTally.Reason.values()) {
                tally.count(token, address, reason, reason == FailureTally.Reason.ADDRESS ? "acme" : null);
            }
            tally.count("not a keygate token", address, FailureTally.Reason.CHECKSUM, null);
            tally.count(null, address, FailureTally.Reason.MALFORMED, null);
        }
        now.addAndGet(1000);
        handOver.handOver();

        assertEquals(0, handOver.pending(), "taken by keygate.war");
        summaries.flush();
        assertEquals(clients.size() * 3, audit.size(), "per client: the token's prefix, none, the tenant's");
        assertTrue(audit.stream().allMatch(e -> e.getAction().equals("auth.failure")));
        assertTrue(audit.stream().anyMatch(e -> TokenFormat.loggablePrefix(token).equals(e.getTarget())
                && "acme".equals(e.getTenantSlug())));
    }

    /**
     * A context path outside printable ASCII is sent with its other characters replaced: sent as it is, the
     * verifier would refuse every report of that application.
     */
    @Test
    void contextPathOutsidePrintableAsciiThenStillTaken() {
        FailureTally tally = new FailureTally();
        FailureHandOver handOver = new FailureHandOver(tally, client, "/über uns", now::get);
        tally.count(null, "203.0.113.9", FailureTally.Reason.MALFORMED, null);
        now.addAndGet(1000);
        handOver.handOver();

        assertEquals(0, handOver.pending(), "taken by keygate.war");
        summaries.flush();
        assertEquals(1, audit.size());
        assertTrue(audit.get(0).getDetail().contains("/?ber?uns"), audit.get(0).getDetail());
    }
}
