package io.keygate.filter;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.keygate.protocol.VerifierProtocol;
import jakarta.ejb.EJBException;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import javax.naming.NameNotFoundException;
import javax.script.Invocable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The cache and its invalidation together, against a fake {@code keygate.war} and a fake clock. */
class VerdictsTest {

    private static final String A = "a".repeat(64);
    private static final String B = "b".repeat(64);
    private static final String UNKNOWN = "f".repeat(64);

    private final FakeClock clock = new FakeClock();
    private final Map<String, Object> answers = new ConcurrentHashMap<>(Map.of(
            A, FakeVerifier.valid("acme", "tok-a", "alice", List.of("read"), null),
            B, FakeVerifier.valid("globex", "tok-b", "bob", List.of("read"), null)));
    private final FakeVerifier keygate = new FakeVerifier(this::answer).subscribable();
    /** What JNDI finds: {@code null} while keygate.war is not deployed. */
    private final AtomicReference<Invocable> deployed = new AtomicReference<>(keygate);
    private final VerifierClient client = new VerifierClient(() -> {
        Invocable current = deployed.get();
        if (current == null) {
            throw new NameNotFoundException(VerifierProtocol.JNDI_NAME);
        }
        return current;
    });
    private Verdicts verifier = new Verdicts(client, new CacheSettings(100, 60_000, 30_000), clock);
    private final ExecutorService pool = Executors.newCachedThreadPool();

    private Object answer(String hash) {
        return answers.getOrDefault(hash, FakeVerifier.result(VerifierProtocol.INVALID));
    }

    @AfterEach
    void stopThreads() {
        pool.shutdownNow();
    }

    @Test
    void knownTokenThenVerifierAskedOnce() {
        for (int i = 0; i < 5; i++) {
            assertInstanceOf(VerificationResult.Valid.class, verifier.verify(A));
        }
        assertEquals(1, keygate.calls());
    }

    @Test
    void revokedThenTheVeryNextVerifyIsRefused() {
        verifier.verify(A);
        verifier.verify(B);
        answers.put(A, FakeVerifier.result(VerifierProtocol.INVALID));
        keygate.change(List.of(A), List.of());

        assertInstanceOf(VerificationResult.Invalid.class, verifier.verify(A));
        assertInstanceOf(VerificationResult.Valid.class, verifier.verify(B));
        assertEquals(List.of(A, B, A), keygate.hashes, "only the revoked token is asked about again");
    }

    @Test
    void secretChangedThenItsCachedAccessTokensAskedAgainOthersNot() {
        String secret = "5".repeat(64);
        String other = "6".repeat(64);
        answers.put(secret, FakeVerifier.valid("acme", "tok-secret", "alice", List.of("read", "write"), null));
        answers.put(A, FakeVerifier.validAccessToken("acme", "tok-access", "tok-secret", List.of("read", "write")));
        answers.put(other, FakeVerifier.validAccessToken("acme", "tok-other", "tok-other-secret", List.of("write")));
        verifier.verify(secret);
        verifier.verify(A);
        verifier.verify(other);
        verifier.verify(B);
        // PATCH of the secret: ["read", "write"] -> ["read"]; one change names the secret, not its access tokens.
        answers.put(A, FakeVerifier.validAccessToken("acme", "tok-access", "tok-secret", List.of("read")));
        keygate.change(List.of(secret), List.of(), List.of("tok-secret"));

        VerificationResult.Valid narrowed = assertInstanceOf(VerificationResult.Valid.class, verifier.verify(A));
        assertEquals(java.util.Set.of("read"), narrowed.token().scopes(), "the secret's scopes now");
        verifier.verify(secret);
        verifier.verify(other);
        verifier.verify(B);
        assertEquals(List.of(secret, A, other, B, A, secret), keygate.hashes,
                "the secret and its access token are asked about again, nothing else");
    }

    @Test
    void tenantChangedThenItsTokensAskedAgainOthersNot() {
        verifier.verify(A);
        verifier.verify(B);
        answers.put(A, FakeVerifier.result(VerifierProtocol.INVALID));
        keygate.change(List.of(), List.of("acme"));

        assertInstanceOf(VerificationResult.Invalid.class, verifier.verify(A));
        assertInstanceOf(VerificationResult.Valid.class, verifier.verify(B));
        assertEquals(3, keygate.calls());
    }

    @Test
    void tenantSwitchedBackOnThenWorksAtOnceDespiteTheCachedRefusal() {
        answers.put(A, FakeVerifier.result(VerifierProtocol.INVALID));
        verifier.verify(A);
        assertInstanceOf(VerificationResult.Invalid.class, verifier.verify(A));
        assertEquals(1, keygate.calls(), "the refusal is cached");

        answers.put(A, FakeVerifier.valid("acme", "tok-a", "alice", List.of("read"), null));
        keygate.change(List.of(), List.of("acme"));

        assertInstanceOf(VerificationResult.Valid.class, verifier.verify(A));
    }

    @Test
    void unknownTokenThenAskedOnceUntilAnyChangeOrTheNegativeTtl() {
        for (int i = 0; i < 10; i++) {
            assertInstanceOf(VerificationResult.Invalid.class, verifier.verify(UNKNOWN));
        }
        assertEquals(1, keygate.calls());
        keygate.change(List.of(B), List.of());
        verifier.verify(UNKNOWN);
        assertEquals(2, keygate.calls(), "every change forgets every refusal");
        clock.advanceSeconds(30);
        verifier.verify(UNKNOWN);
        assertEquals(3, keygate.calls());
    }

    @Test
    void validTokenAskedAgainAfterTheTtl() {
        verifier.verify(A);
        clock.advanceSeconds(59);
        verifier.verify(A);
        assertEquals(1, keygate.calls());
        clock.advanceSeconds(1);
        verifier.verify(A);
        assertEquals(2, keygate.calls());
    }

    @Test
    void changeLogNoLongerReachingBackThenEverythingForgotten() {
        verifier.verify(A);
        verifier.verify(B);
        keygate.forgetful();
        keygate.change(List.of(), List.of());
        verifier.verify(A);
        verifier.verify(B);
        assertEquals(4, keygate.calls());
    }

    @Test
    void changesUnreadableThenEverythingForgotten() {
        verifier.verify(A);
        keygate.failChanges(new EJBException("failed"));
        keygate.change(List.of(B), List.of());
        verifier.verify(A);
        assertEquals(2, keygate.calls());
    }

    @Test
    void verifierUndeployedThenNothingCachedIsServedAndTheNewOneIsUsed() {
        verifier.verify(A);
        keygate.retire();
        deployed.set(null);

        assertInstanceOf(VerificationResult.Unavailable.class, verifier.verify(A), "503 while keygate.war is away");
        assertInstanceOf(VerificationResult.Unavailable.class, verifier.verify(A));

        FakeVerifier redeployed = new FakeVerifier(this::answer).subscribable();
        deployed.set(redeployed);
        assertInstanceOf(VerificationResult.Valid.class, verifier.verify(A));
        assertInstanceOf(VerificationResult.Valid.class, verifier.verify(A));
        assertEquals(1, redeployed.calls(), "cached again, under the new verifier's generation");
        redeployed.change(List.of(A), List.of());
        verifier.verify(A);
        assertEquals(2, redeployed.calls(), "and invalidated by the new verifier's changes");
    }

    @Test
    void storeDownWhileVerifierUpThenCachedTokensKeepWorkingOthersGet503() {
        verifier.verify(A);
        answers.put(A, new EJBException("store down"));
        answers.put(B, new EJBException("store down"));
        assertInstanceOf(VerificationResult.Valid.class, verifier.verify(A));
        assertInstanceOf(VerificationResult.Unavailable.class, verifier.verify(B));
        assertInstanceOf(VerificationResult.Unavailable.class, verifier.verify(B), "503 is never cached");
    }

    @Test
    void answerFetchedWhileAChangeCommitsIsNotCached() {
        answers.put(A, "placeholder");
        keygate.answer(hash -> {
            if (hash.equals(A) && keygate.calls() == 1) {
                // The revocation commits while the verdict is on its way back.
                keygate.change(List.of(A), List.of());
                return FakeVerifier.valid("acme", "tok-a", "alice", List.of("read"), null);
            }
            return FakeVerifier.result(VerifierProtocol.INVALID);
        });
        assertInstanceOf(VerificationResult.Valid.class, verifier.verify(A), "the request ran alongside the change");
        assertInstanceOf(VerificationResult.Invalid.class, verifier.verify(A), "but its verdict was not kept");
        assertEquals(2, keygate.calls());
    }

    @Test
    void requestThatCannotSyncAsksTheVerifierInsteadOfTheCache() throws Exception {
        verifier.verify(A);
        CountDownLatch syncing = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        keygate.onChangesSince = () -> {
            syncing.countDown();
            await(release);
        };
        answers.put(A, FakeVerifier.result(VerifierProtocol.INVALID));
        keygate.change(List.of(A), List.of());

        Future<VerificationResult> syncer = pool.submit(() -> verifier.verify(A));
        assertTrue(syncing.await(5, TimeUnit.SECONDS));
        VerificationResult meanwhile = verifier.verify(A);
        release.countDown();

        assertInstanceOf(VerificationResult.Invalid.class, meanwhile, "not the cached valid verdict");
        assertInstanceOf(VerificationResult.Invalid.class, syncer.get(5, TimeUnit.SECONDS));
    }

    @Test
    void manyConcurrentRequestsWhileChangesCommitNeverServeARevokedToken() throws Exception {
        verifier.verify(A);
        int threads = 4;
        int checksAfter = 2_000;
        // Every worker is already running when the change commits, and each keeps checking until it has made its
        // checks after it: the race happens on every run, and "none served" is about checks that were made.
        CountDownLatch running = new CountDownLatch(threads);
        AtomicReference<Boolean> revoked = new AtomicReference<>(false);
        List<Future<int[]>> workers = new java.util.ArrayList<>();
        for (int t = 0; t < threads; t++) {
            workers.add(pool.submit(() -> {
                int served = 0;
                int checked = 0;
                int before = 0;
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
                while (checked < checksAfter && System.nanoTime() < deadline) {
                    boolean revokedBefore = revoked.get();
                    VerificationResult result = verifier.verify(A);
                    if (revokedBefore) {
                        checked++;
                        if (result instanceof VerificationResult.Valid) {
                            served++;
                        }
                    } else if (++before == 100) {
                        running.countDown();
                    }
                }
                return new int[] {served, checked};
            }));
        }
        assertTrue(running.await(10, TimeUnit.SECONDS), "every worker was checking before the change");
        answers.put(A, FakeVerifier.result(VerifierProtocol.INVALID));
        keygate.change(List.of(A), List.of());
        revoked.set(true);
        for (Future<int[]> worker : workers) {
            int[] outcome = worker.get(30, TimeUnit.SECONDS);
            assertEquals(checksAfter, outcome[1], "checks made after the change committed");
            assertEquals(0, outcome[0], "valid verdicts served after the change committed");
        }
    }

    @Test
    void cacheBoundRespected() {
        verifier = new Verdicts(client, new CacheSettings(50, 60_000, 30_000), clock);
        for (int i = 0; i < 500; i++) {
            String hash = String.format("%064x", i);
            answers.put(hash, FakeVerifier.valid("acme", "tok-" + i, "alice", List.of("read"), null));
            verifier.verify(hash);
            verifier.verify(String.format("%064x", 100_000 + i));
        }
        assertTrue(verifier.cache().validEntries() <= 50, "valid " + verifier.cache().validEntries());
        assertTrue(verifier.cache().refusedEntries() <= 50, "refused " + verifier.cache().refusedEntries());
    }

    @Test
    void cacheSwitchedOffThenEveryRequestAsks() {
        verifier = new Verdicts(client, new CacheSettings(0, 60_000, 30_000), clock);
        verifier.verify(A);
        verifier.verify(A);
        assertEquals(2, keygate.calls());
    }

    @Test
    void verifierOfAnOlderVersionWithoutGenerationThenNothingCached() {
        FakeVerifier old = new FakeVerifier(this::answer);
        deployed.set(old);
        verifier.verify(A);
        verifier.verify(A);
        assertEquals(2, old.calls());
    }

    private static void await(CountDownLatch latch) {
        try {
            latch.await(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
