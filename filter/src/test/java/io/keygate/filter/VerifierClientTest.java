package io.keygate.filter;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.keygate.protocol.VerifierProtocol;
import jakarta.ejb.EJBException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;
import java.util.logging.Level;
import javax.naming.NameNotFoundException;
import javax.script.Invocable;
import javax.script.ScriptException;
import org.junit.jupiter.api.Test;

class VerifierClientTest {

    private static final String HASH = "a".repeat(64);

    /** Hands out the verifiers in turn; a {@code null} entry fails the look-up. */
    private static final class Locator implements VerifierConnection.Locator {
        final List<Invocable> verifiers = new ArrayList<>();
        int lookups;

        @Override
        public Invocable locate() throws Exception {
            Invocable next = verifiers.get(Math.min(lookups++, verifiers.size() - 1));
            if (next == null) {
                throw new NameNotFoundException(VerifierProtocol.JNDI_NAME);
            }
            return next;
        }
    }

    private final Locator locator = new Locator();
    private final VerifierClient client = new VerifierClient(locator);

    @Test
    void verifyWhenValidThenIdentityWithUnmodifiableScopes() {
        FakeVerifier verifier = new FakeVerifier(h -> FakeVerifier.valid("alice", List.of("write", "reports:read")));
        locator.verifiers.add(verifier);
        VerificationResult.Valid valid = assertInstanceOf(VerificationResult.Valid.class, client.verify(HASH));
        assertEquals(new VerifiedToken("acme", "tok-1", "Website Integration", "alice",
                Set.of("write", "reports:read"), 1_800_000_000_000L), valid.token());
        assertThrows(UnsupportedOperationException.class, () -> valid.token().scopes().add("admin"));
        assertEquals(List.of(HASH), verifier.hashes);
    }

    @Test
    void verifyWhenAccessTokenThenItsSecretsIdOtherwiseNone() {
        FakeVerifier verifier = new FakeVerifier(h -> FakeVerifier.validAccessToken("acme", "tok-access", "tok-secret",
                List.of("read")));
        locator.verifiers.add(verifier);
        assertEquals("tok-secret", ((VerificationResult.Valid) client.verify(HASH)).token().parentId());
        verifier.answer(h -> FakeVerifier.valid("alice", List.of("read")));
        assertNull(((VerificationResult.Valid) client.verify(HASH)).token().parentId());
    }

    @Test
    void verifyWhenValidWithoutExpiryThenNullExpiry() {
        Map<String, Object> answer = FakeVerifier.valid("alice", List.of("read"));
        answer.remove(VerifierProtocol.EXPIRES_AT);
        locator.verifiers.add(new FakeVerifier(h -> answer));
        assertNull(((VerificationResult.Valid) client.verify(HASH)).token().expiresAt());
    }

    @Test
    void verifyWhenInvalidOrExpiredThenThatVerdict() {
        FakeVerifier verifier = new FakeVerifier(h -> FakeVerifier.result(VerifierProtocol.INVALID));
        locator.verifiers.add(verifier);
        assertInstanceOf(VerificationResult.Invalid.class, client.verify(HASH));
        verifier.answer(h -> FakeVerifier.result(VerifierProtocol.EXPIRED));
        assertInstanceOf(VerificationResult.Expired.class, client.verify(HASH));
        assertEquals(1, locator.lookups, "the proxy is cached while it works");
    }

    @Test
    void verifyWhenLookupFailsThenUnavailableAndNextCallRecovers() {
        locator.verifiers.add(null);
        locator.verifiers.add(new FakeVerifier(h -> FakeVerifier.result(VerifierProtocol.INVALID)));
        assertInstanceOf(VerificationResult.Unavailable.class, client.verify(HASH));
        assertInstanceOf(VerificationResult.Invalid.class, client.verify(HASH));
        assertEquals(2, locator.lookups);
    }

    @Test
    void verifyWhenLookupReturnsNullThenUnavailable() {
        VerifierClient nulls = new VerifierClient(() -> null);
        assertInstanceOf(VerificationResult.Unavailable.class, nulls.verify(HASH));
    }

    @Test
    void verifyWhenCallFailsThenCachedProxyDroppedAndLookedUpAgain() {
        FakeVerifier dead = new FakeVerifier(h -> new EJBException("application keygate undeployed"));
        FakeVerifier redeployed = new FakeVerifier(h -> FakeVerifier.result(VerifierProtocol.EXPIRED));
        locator.verifiers.add(dead);
        locator.verifiers.add(redeployed);
        assertInstanceOf(VerificationResult.Unavailable.class, client.verify(HASH));
        assertInstanceOf(VerificationResult.Expired.class, client.verify(HASH));
        assertEquals(2, locator.lookups);
        assertEquals(1, dead.calls());
        assertEquals(1, redeployed.calls());
    }

    @Test
    void verifyWhenScriptExceptionThenUnavailable() {
        locator.verifiers.add(new FakeVerifier(h -> new ScriptException("store down")));
        assertInstanceOf(VerificationResult.Unavailable.class, client.verify(HASH));
    }

    @Test
    void verifyWhenWrongFunctionThenUnavailable() {
        locator.verifiers.add(new FakeVerifier(h -> new NoSuchMethodException(VerifierProtocol.VERIFY)));
        assertInstanceOf(VerificationResult.Unavailable.class, client.verify(HASH));
    }

    @Test
    void verifyWhenMalformedAnswersThenUnavailableWarnedOnceWithoutHash() {
        List<Object> answers = new ArrayList<>();
        answers.add(null);
        answers.add("valid");
        answers.add(Map.of());
        answers.add(Map.of(VerifierProtocol.RESULT, "maybe"));
        answers.add(mutated(m -> m.remove(VerifierProtocol.TENANT)));
        answers.add(mutated(m -> m.put(VerifierProtocol.PRINCIPAL, 42)));
        answers.add(mutated(m -> m.put(VerifierProtocol.TOKEN_ID, " ")));
        answers.add(mutated(m -> m.put(VerifierProtocol.SCOPES, "read")));
        answers.add(mutated(m -> m.put(VerifierProtocol.SCOPES, List.of("read", 7))));
        answers.add(mutated(m -> m.put(VerifierProtocol.SCOPES, List.of("Not A Scope"))));
        answers.add(mutated(m -> m.put(VerifierProtocol.EXPIRES_AT, "2027-01-01")));
        answers.add(mutated(m -> m.put(VerifierProtocol.PARENT_ID, 42L)));
        answers.add(mutated(m -> m.put(VerifierProtocol.PARENT_ID, " ")));
        try (LogCapture log = new LogCapture()) {
            for (Object answer : answers) {
                locator.verifiers.clear();
                locator.verifiers.add(new FakeVerifier(h -> answer));
                assertInstanceOf(VerificationResult.Unavailable.class, client.verify(HASH), String.valueOf(answer));
            }
            assertEquals(1, log.count(Level.WARNING));
            assertFalse(log.text().contains(HASH));
        }
    }

    @Test
    void verifyWhenFailingThenLogsWithoutHashAndWarnsOncePerOutage() {
        try (LogCapture log = new LogCapture()) {
            locator.verifiers.add(new FakeVerifier(h -> new EJBException("failed for " + h)));
            client.verify(HASH);
            client.verify(HASH);
            client.verify(HASH);
            assertEquals(1, log.count(Level.WARNING));
            assertFalse(log.text().contains(HASH), log.text());
            locator.verifiers.add(new FakeVerifier(h -> FakeVerifier.result(VerifierProtocol.INVALID)));
            locator.lookups = 1;
            client.verify(HASH);
            assertEquals(1, log.count(Level.INFO));
        }
    }

    private static Map<String, Object> mutated(Consumer<Map<String, Object>> change) {
        Map<String, Object> answer = new HashMap<>(FakeVerifier.valid("alice", List.of("read")));
        change.accept(answer);
        return answer;
    }
}
