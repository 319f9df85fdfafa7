package io.keygate.filter;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.keygate.filter.handover.FailureHandOver;
import io.keygate.filter.handover.FailureTally;
import io.keygate.filter.handover.FailureTally.Reason;
import io.keygate.protocol.FailureReport;
import io.keygate.protocol.ProtocolJson;
import io.keygate.protocol.VerifierProtocol;
import io.keygate.token.TokenFormat;
import io.keygate.token.TokenHash;
import jakarta.ejb.EJBException;
import java.security.SecureRandom;
import java.util.List;
import java.util.Map;
import java.util.logging.Level;
import org.junit.jupiter.api.Test;

class FailureHandOverTest {

    private static final SecureRandom RANDOM = new SecureRandom();
    private static final String TOKEN = TokenFormat.generate(RANDOM);

    private final FakeClock clock = new FakeClock();
    private final FakeVerifier keygate = new FakeVerifier(h -> FakeVerifier.result(VerifierProtocol.INVALID))
            .subscribable();
    private final VerifierClient client = new VerifierClient(() -> keygate);
    private final FailureTally tally = new FailureTally();
    private final FailureHandOver failures = new FailureHandOver(tally, client, "/sample", clock);
    private final ManualScheduler scheduler = new ManualScheduler();

    @Test
    void handOverThenOneReportPerIntervalNamingApplicationWindowPrefixClientReasonAndCount() {
        long start = clock.getAsLong();
        failures.start(scheduler.service());
        tally.count(TOKEN, "192.0.2.1", Reason.INVALID, null);
        tally.count(TOKEN, "192.0.2.1", Reason.INVALID, null);
        tally.count(null, "192.0.2.7", Reason.MALFORMED, null);
        assertTrue(keygate.failureReports.isEmpty(), "nothing is sent from the counting thread");
        clock.advanceMillis(1000);
        scheduler.tick();

        assertEquals(1, keygate.failureReports.size());
        FailureReport report = keygate.failureReports.get(0);
        assertEquals("/sample", report.application());
        assertEquals(start, report.since());
        assertEquals(start + 1000, report.until());
        assertEquals(0L, report.overflow());
        assertEquals(Map.of(TokenFormat.displayPrefix(TOKEN) + "|192.0.2.1|invalid|null", 2L,
                "null|192.0.2.7|malformed|null", 1L), keygate.failureCounts());
        String sent = ProtocolJson.toJson(report.toWire()).toString();
        assertFalse(sent.contains(TOKEN.substring(8)), "no more of a token than its listing prefix: " + sent);
        assertFalse(sent.contains(TokenHash.of(TOKEN)), "never a hash");

        scheduler.tick();
        assertEquals(1, keygate.failureReports.size(), "nothing new, nothing sent");
        tally.count(TOKEN, "192.0.2.1", Reason.EXPIRED, null);
        clock.advanceMillis(5000);
        scheduler.tick();
        assertEquals(start + 1000, keygate.failureReports.get(1).since(),
                "the window starts where the last one ended");
        assertEquals(start + 6000, keygate.failureReports.get(1).until());
    }

    @Test
    void refusedOrNotTakenReportIsKeptAndMergedIntoTheNextOne() {
        failures.start(scheduler.service());
        long start = clock.getAsLong();
        tally.count(TOKEN, "192.0.2.1", Reason.INVALID, null);
        keygate.answerFailures(new EJBException("keygate.war is redeploying"));
        scheduler.tick();
        assertEquals(1, failures.pending());
        tally.count(TOKEN, "192.0.2.1", Reason.INVALID, null);
        keygate.answerFailures(Boolean.FALSE);
        scheduler.tick();
        assertEquals(2, failures.pending());
        tally.count(TOKEN, "192.0.2.1", Reason.INVALID, null);
        keygate.answerFailures(null);
        clock.advanceMillis(3000);
        scheduler.tick();

        assertEquals(Map.of(TokenFormat.displayPrefix(TOKEN) + "|192.0.2.1|invalid|null", 3L), keygate.failureCounts());
        assertEquals(1, keygate.failureReports.size());
        assertEquals(start, keygate.failureReports.get(0).since(),
                "the kept report's window reaches back to its first failure");
        assertEquals(0, failures.pending());
    }

    @Test
    void verifierAwayDuringAnAttackThenKeptReportsStayBounded() {
        failures.start(scheduler.service());
        keygate.answerFailures(new EJBException("down"));
        long sent = 0;
        for (int interval = 0; interval < 5; interval++) {
            for (int i = 0; i < FailureTally.MAX_ENTRIES; i++) {
                tally.count(TokenFormat.generate(RANDOM), "203.0.113." + (i % 200), Reason.INVALID, null);
                sent++;
            }
            scheduler.tick();
            assertTrue(failures.unsentEntries() <= FailureTally.MAX_ENTRIES, "kept summaries are bounded");
        }
        assertEquals(sent, failures.pending(), "what is not itemised is still counted");
        keygate.answerFailures(null);
        scheduler.tick();

        assertEquals(sent, keygate.failuresTaken());
        List<?> items = keygate.failureReports.get(0).failures();
        assertTrue(items.size() <= VerifierProtocol.MAX_FAILURE_ENTRIES, "a report stays within the protocol");
        assertEquals(sent - FailureTally.MAX_ENTRIES, keygate.failureReports.get(0).overflow());
    }

    @Test
    void olderVerifierWithoutTheFunctionThenDroppedWithOneWarningAndVerdictsStillWork() {
        FakeVerifier old = new FakeVerifier(h -> FakeVerifier.valid("alice", List.of("read")));
        VerifierClient oldClient = new VerifierClient(() -> old);
        FailureHandOver handOver = new FailureHandOver(tally, oldClient, "/sample", clock);
        handOver.start(scheduler.service());
        try (LogCapture log = new LogCapture()) {
            for (int i = 0; i < 3; i++) {
                tally.count(TOKEN, "192.0.2.1", Reason.INVALID, null);
                scheduler.tick();
                assertEquals(0, handOver.pending(), "dropped: an older keygate.war never takes it");
            }
            assertEquals(1, log.count(Level.WARNING), log.text());
            assertTrue(log.text().contains(VerifierProtocol.RECORD_FAILURES), log.text());
            assertTrue(oldClient.verify("a".repeat(64)) instanceof VerificationResult.Valid,
                    "the verifier is not treated as unavailable or outside the protocol");
            assertEquals(1, log.count(Level.WARNING), log.text());
        }
    }

    @Test
    void withoutSchedulerThenNothingOnRequestsAndEverythingAtClose() {
        tally.count(TOKEN, "192.0.2.1", Reason.INVALID, null);
        clock.advanceMillis(5000);
        tally.count(TOKEN, "192.0.2.1", Reason.INVALID, null);
        assertTrue(keygate.failureReports.isEmpty());

        failures.close();

        assertEquals(Map.of(TokenFormat.displayPrefix(TOKEN) + "|192.0.2.1|invalid|null", 2L), keygate.failureCounts());
    }

    @Test
    void closeWhenVerifierAwayThenCancelsTheScheduleAndLogsTheLossByNumber() {
        failures.start(scheduler.service());
        tally.count(TOKEN, "192.0.2.1", Reason.INVALID, null);
        tally.count(null, "192.0.2.1", Reason.MALFORMED, null);
        keygate.answerFailures(new EJBException("undeployed"));
        try (LogCapture log = new LogCapture()) {
            failures.close();
            assertEquals(1, scheduler.cancelled);
            assertTrue(log.text().contains("the last 2 failed authentications of /sample"), log.text());
            assertFalse(log.text().contains(TokenFormat.displayPrefix(TOKEN)), "not even a prefix in the log");
        }
    }
}
