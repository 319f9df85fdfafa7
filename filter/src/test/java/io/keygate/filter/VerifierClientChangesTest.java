package io.keygate.filter;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.keygate.protocol.ChangeSet;
import io.keygate.protocol.UsageReport;
import io.keygate.protocol.VerifierProtocol;
import jakarta.ejb.EJBException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.logging.Level;
import org.junit.jupiter.api.Test;

/** The functions of the protocol besides {@code verify}: subscribe, changesSince, recordUsage. */
class VerifierClientChangesTest {

    private final FakeVerifier keygate = new FakeVerifier(h -> FakeVerifier.result(VerifierProtocol.INVALID))
            .subscribable();
    private final AtomicInteger lookups = new AtomicInteger();
    private final VerifierClient client = new VerifierClient(() -> {
        lookups.incrementAndGet();
        return keygate;
    });

    @Test
    void subscribeThenTheVerifiersOwnGeneration() {
        assertSame(keygate.generation(), client.subscribe());
    }

    @Test
    void subscribeWhenOlderVerifierThenNullWarnedOnce() {
        FakeVerifier old = new FakeVerifier(h -> FakeVerifier.result(VerifierProtocol.INVALID));
        VerifierClient toOld = new VerifierClient(() -> old);
        try (LogCapture log = new LogCapture()) {
            assertNull(toOld.subscribe());
            assertNull(toOld.subscribe());
            assertEquals(1, log.count(Level.WARNING), log.text());
        }
    }

    @Test
    void changesSinceThenWhatChanged() {
        keygate.change(List.of("a".repeat(64)), List.of());
        keygate.change(List.of(), List.of("acme"));
        assertEquals(new ChangeSet(2, List.of("a".repeat(64)), List.of("acme"), List.of(), true),
                client.changesSince(0));
        assertEquals(new ChangeSet(2, List.of(), List.of("acme"), List.of(), true), client.changesSince(1));
        keygate.change(List.of("b".repeat(64)), List.of(), List.of("tok-secret"));
        assertEquals(new ChangeSet(3, List.of("b".repeat(64)), List.of(), List.of("tok-secret"), true),
                client.changesSince(2));
    }

    /** So that keygate.war can tell a filter that does not act on secrets to forget everything instead. */
    @Test
    void changesSinceThenNamesTheKeysOfTheAnswerItActsOn() {
        keygate.change(List.of(), List.of(), List.of("tok-secret"));
        client.changesSince(0);
        assertEquals(List.of(List.of(0L, List.of(VerifierProtocol.CHANGED_SECRETS))), keygate.changesSinceCalls);
    }

    /**
     * A keygate.war older than the second argument refuses it: asked again with one argument, its answer is used,
     * and it is asked so until the next look-up (which may find a newer keygate.war); one line says so.
     */
    @Test
    void changesSinceFromAnOlderKeygateWarThenAskedWithOneArgumentUntilTheNextLookUp() {
        keygate.oneArgumentChangesSince();
        keygate.change(List.of("a".repeat(64)), List.of(), List.of("tok-secret"));
        try (LogCapture log = new LogCapture()) {
            assertEquals(new ChangeSet(1, List.of("a".repeat(64)), List.of(), List.of("tok-secret"), true),
                    client.changesSince(0));
            assertEquals(new ChangeSet(1, List.of(), List.of(), List.of(), true), client.changesSince(1));
            client.forget();
            assertEquals(1, client.changesSince(1).generation());

            List<Object> understood = List.of(VerifierProtocol.CHANGED_SECRETS);
            assertEquals(List.of(List.of(0L, understood), List.of(0L), List.of(1L), List.of(1L, understood),
                    List.of(1L)), keygate.changesSinceCalls);
            assertEquals(2, lookups.get(), "the refusal did not drop the verifier: only forget did");
            assertEquals(0, log.count(Level.WARNING), log.text());
            assertEquals(1, log.count(Level.INFO), log.text());
        }
    }

    @Test
    void changesAnswerOutsideTheProtocolThenNull() {
        List<Object> answers = List.of("x", Map.of(), answer(m -> m.put(VerifierProtocol.GENERATION, 1)),
                answer(m -> m.put(VerifierProtocol.COMPLETE, "yes")),
                answer(m -> m.put(VerifierProtocol.CHANGED_TOKENS, List.of(1))),
                answer(m -> m.remove(VerifierProtocol.CHANGED_TENANTS)),
                answer(m -> m.put(VerifierProtocol.CHANGED_SECRETS, "tok-secret")),
                answer(m -> m.put(VerifierProtocol.CHANGED_SECRETS, List.of(1L))));
        for (Object answer : answers) {
            assertTrue(ChangeSet.fromWire(answer).isEmpty(), String.valueOf(answer));
        }
        assertEquals(new ChangeSet(3, List.of(), List.of(), List.of(), false), ChangeSet.fromWire(answer(m -> { })).orElseThrow());
        assertEquals(new ChangeSet(3, List.of(), List.of(), List.of(), false),
                ChangeSet.fromWire(answer(m -> m.remove(VerifierProtocol.CHANGED_SECRETS))).orElseThrow(),
                "a keygate.war older than the key names no secrets");
    }

    @Test
    void changesSinceWhenCallFailsThenNullAndNextCallLooksUpAgain() {
        keygate.failChanges(new EJBException("undeployed"));
        assertNull(client.changesSince(0));
        keygate.failChanges(null);
        assertEquals(0, client.changesSince(0).generation());
        assertEquals(2, lookups.get());
    }

    @Test
    void recordUsageThenTrueOnlyWhenTaken() {
        UsageReport report = new UsageReport(Map.of("tok-1", new UsageReport.Use(2L, 5L)));
        assertTrue(client.recordUsage(report, Map::of));
        assertEquals(List.of(report), keygate.recorded);
        keygate.failUsage(new EJBException("stopping"));
        assertFalse(client.recordUsage(new UsageReport(Map.of("tok-1", new UsageReport.Use(1L, 6L))), Map::of));
    }

    @Test
    void forgetThenTheNextCallLooksUpAgain() {
        client.subscribe();
        client.subscribe();
        client.forget();
        client.subscribe();
        assertEquals(2, lookups.get());
    }

    private static Map<String, Object> answer(java.util.function.Consumer<Map<String, Object>> change) {
        Map<String, Object> answer = new HashMap<>(Map.of(VerifierProtocol.GENERATION, 3L,
                VerifierProtocol.CHANGED_TOKENS, List.of(), VerifierProtocol.CHANGED_TENANTS, List.of(),
                VerifierProtocol.CHANGED_SECRETS, List.of(), VerifierProtocol.COMPLETE, false));
        change.accept(answer);
        return answer;
    }
}
