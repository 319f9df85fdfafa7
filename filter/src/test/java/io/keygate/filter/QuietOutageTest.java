package io.keygate.filter;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.keygate.filter.handover.UsageHandOver;
import io.keygate.protocol.FunctionsOnlyInvocable;
import io.keygate.protocol.VerifierProtocol;
import io.keygate.testing.FakeRequest;
import io.keygate.token.TokenFormat;
import io.keygate.token.TokenHash;
import jakarta.servlet.http.HttpServletResponse;
import java.lang.reflect.Proxy;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import javax.naming.NameNotFoundException;
import javax.script.Invocable;
import javax.script.ScriptException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * What a verifier that hangs costs the server it runs on: WildFly logs a stack trace ({@code WFLYEJB0034}) for every
 * call to a {@code keygate.war} that failed to start once the call is interrupted, so the filter calls such a verifier
 * once, leaves that call waiting instead of interrupting it, and asks nothing more of that deployment, neither for
 * requests nor for hand-overs, until the call comes back or another {@code keygate.war} answers.
 */
class QuietOutageTest {

    private static final SecureRandom RANDOM = new SecureRandom();
    private static final String TOKEN = TokenFormat.generate(RANDOM);
    private static final int TIMEOUT_MILLIS = 200;

    /** Never counted down while a test runs; released afterwards so that the stuck threads end. */
    private final CountDownLatch never = new CountDownLatch(1);
    private final FakeVerifier good = new FakeVerifier(hash -> TokenHash.of(TOKEN).equals(hash)
            ? FakeVerifier.valid("alice", List.of("read")) : FakeVerifier.result(VerifierProtocol.INVALID))
            .subscribable();
    private final Hanging hanging = new Hanging(never);
    private final AtomicReference<Invocable> deployed = new AtomicReference<>(hanging);
    private final AtomicInteger lookups = new AtomicInteger();
    private final ExecutorService pool = Executors.newCachedThreadPool();

    /**
     * Waits for {@code release} in every call, as WildFly's start-up await waits for a component that does not start;
     * an interrupt ends the wait with an exception, as it does there (where the server logs it).
     */
    private final class Hanging extends FunctionsOnlyInvocable {
        final CountDownLatch release;
        final AtomicInteger calls = new AtomicInteger();
        final AtomicInteger interrupted = new AtomicInteger();
        final CountDownLatch entered = new CountDownLatch(1);

        Hanging(CountDownLatch release) {
            this.release = release;
        }

        @Override
        public Object invokeFunction(String name, Object... args) throws ScriptException, NoSuchMethodException {
            calls.incrementAndGet();
            entered.countDown();
            try {
                release.await();
            } catch (InterruptedException e) {
                interrupted.incrementAndGet();
                throw new IllegalStateException("interrupted in the start-up await");
            }
            return good.invokeFunction(name, args);
        }
    }

    @AfterEach
    void release() {
        never.countDown();
        pool.shutdownNow();
    }

    private VerifierClient client() {
        return client(TIMEOUT_MILLIS);
    }

    private VerifierClient client(int timeoutMillis) {
        return new VerifierClient(() -> {
            lookups.incrementAndGet();
            Invocable current = deployed.get();
            if (current == null) {
                throw new NameNotFoundException("not bound");
            }
            return current;
        }, new VerifierSettings(VerifierProtocol.JNDI_NAME, timeoutMillis));
    }

    private static int status(KeygateFilter filter) throws Exception {
        FakeResponse response = new FakeResponse();
        filter.doFilter(FakeRequest.get("/api/whoami").bearer(TOKEN).build(), response.build(), new RecordingChain());
        return response.status;
    }

    @Test
    void aHangingVerifierIsCalledOnceByRequestsAndHandOversAndInterruptedOnlyWhenTheFilterIsDestroyed()
            throws Exception {
        VerifierClient client = client();
        FilterParts parts = FilterParts.wire(FilterSettingsTest.settings(Map.of()), client, System::currentTimeMillis,
                "/sample", null);
        KeygateFilter filter = new KeygateFilter(FilterSettingsTest.settings(Map.of()), client);
        assertEquals(503, status(filter));
        long started = System.nanoTime();
        for (int i = 0; i < 20; i++) {
            assertEquals(503, status(filter));
            parts.usage().handOver();
            parts.failures().handOver();
        }
        assertTrue(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started) < 1000, "they all failed at once");
        assertEquals(1, hanging.calls.get(), "one call, left waiting, tells all there is to know");
        assertEquals(0, hanging.interrupted.get(), "WildFly logs every interrupted call with a stack trace");

        filter.destroy();
        assertTrue(waitFor(() -> hanging.interrupted.get() == 1), "the last thread is let go when the WAR stops");
        assertEquals(1, hanging.calls.get(), "the last hand-over does not call it again");
    }

    /**
     * A request that still waits for the verifier when the WAR is undeployed has its wait over before
     * {@code destroy()} returns, and gets 503: after that the server may have taken the WAR's classes away, and a
     * request that only then went on would fail with 500 (as it did on WildFly when the threads were stopped first).
     */
    @Test
    void destroyLetsARequestWaitingForTheVerifierHaveItsAnswerFirst() throws Exception {
        int timeout = 1000;
        KeygateFilter filter = new KeygateFilter(FilterSettingsTest.settings(Map.of()), client(timeout));
        long sent = System.nanoTime();
        Future<Integer> request = pool.submit(() -> status(filter));
        assertTrue(hanging.entered.await(5, TimeUnit.SECONDS));
        filter.destroy();
        long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - sent);
        assertTrue(millis >= timeout - 50, "destroy() returned after " + millis + " ms, before the request's wait"
                + " was over");
        assertTrue(millis < FilterParts.CLOSE_MILLIS + 500, "destroy() took " + millis + " ms");
        assertEquals(503, request.get(1, TimeUnit.SECONDS));
    }

    /**
     * And {@code destroy()} waits until that request has its whole answer, not only its verifier call: on WildFly the
     * first 503 of a WAR loads classes the filter has not used yet, which fails with {@code NoClassDefFoundError}
     * (a 500) once the server has taken the WAR's classes away. Here writing the answer takes a while, as that loading
     * does on a busy machine.
     */
    @Test
    void destroyReturnsOnlyOnceTheRequestWaitingForTheVerifierIsAnswered() throws Exception {
        int timeout = 500;
        long writing = 300;
        KeygateFilter filter = new KeygateFilter(FilterSettingsTest.settings(Map.of()), client(timeout));
        FakeResponse response = new FakeResponse();
        AtomicLong answered = new AtomicLong();
        HttpServletResponse slow = (HttpServletResponse) Proxy.newProxyInstance(getClass().getClassLoader(),
                new Class<?>[] {HttpServletResponse.class}, (proxy, method, args) -> {
                    if (method.getName().equals("setStatus")) {
                        Thread.sleep(writing);
                    }
                    Object result = method.invoke(response.build(), args);
                    if (method.getName().equals("flushBuffer")) {
                        answered.set(System.nanoTime());
                    }
                    return result;
                });
        Future<?> request = pool.submit(() -> {
            filter.doFilter(FakeRequest.get("/api/whoami").bearer(TOKEN).build(), slow, new RecordingChain());
            return null;
        });
        assertTrue(hanging.entered.await(5, TimeUnit.SECONDS));
        filter.destroy();
        long returned = System.nanoTime();
        request.get(5, TimeUnit.SECONDS);
        assertEquals(503, response.status);
        assertTrue(answered.get() != 0 && answered.get() - returned <= 0, "destroy() returned "
                + TimeUnit.NANOSECONDS.toMillis(answered.get() - returned) + " ms before the request had its answer");
    }

    @Test
    void aVerifierThatIsOnlySlowToStartIsUsedAgainWhenItsWaitingCallComesBackWithoutAnotherCall() throws Exception {
        CountDownLatch started = new CountDownLatch(1);
        Hanging slow = new Hanging(started);
        deployed.set(slow);
        KeygateFilter filter = new KeygateFilter(FilterSettingsTest.settings(Map.of()), client());
        assertEquals(503, status(filter));
        assertEquals(503, status(filter));
        assertEquals(1, slow.calls.get());

        started.countDown();
        assertTrue(waitFor(() -> {
            try {
                return status(filter) == 200;
            } catch (Exception e) {
                throw new AssertionError(e);
            }
        }), "the verifier answers again once its start is over");
        assertEquals(0, slow.interrupted.get());
        filter.destroy();
    }

    @Test
    void aKeygateWarDeployedInPlaceOfTheHangingOneIsCalledAtOnceAndTheWaitingCallLetGo() throws Exception {
        KeygateFilter filter = new KeygateFilter(FilterSettingsTest.settings(Map.of()), client());
        assertEquals(503, status(filter));
        deployed.set(null);
        assertEquals(503, status(filter));
        deployed.set(good);
        assertEquals(200, status(filter), "no pause: its proxy is of another class, so another deployment");
        assertTrue(waitFor(() -> hanging.interrupted.get() == 1), "the call to the replaced one waits for ever");
        assertEquals(1, hanging.calls.get());
        filter.destroy();
    }

    @Test
    void theFirstCallsToAVerifierWaitForTheFirstOneRatherThanEachCallingOrFailing() throws Exception {
        CountDownLatch firstAnswers = new CountDownLatch(1);
        AtomicInteger calls = new AtomicInteger();
        deployed.set(new FunctionsOnlyInvocable() {
            @Override
            public Object invokeFunction(String name, Object... args) throws ScriptException, NoSuchMethodException {
                if (calls.incrementAndGet() == 1) {
                    try {
                        firstAnswers.await();
                    } catch (InterruptedException e) {
                        throw new IllegalStateException(e);
                    }
                }
                return good.invokeFunction(name, args);
            }
        });
        VerifierClient client = client(VerifierSettings.DEFAULT_TIMEOUT_MILLIS);
        List<Future<VerificationResult>> results = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            results.add(pool.submit(() -> client.verify(TokenHash.of(TOKEN))));
            Thread.sleep(10);
        }
        Thread.sleep(50);
        assertEquals(1, calls.get(), "one call at a time finds out whether a new verifier answers");
        firstAnswers.countDown();
        for (Future<VerificationResult> result : results) {
            assertInstanceOf(VerificationResult.Valid.class, result.get(5, TimeUnit.SECONDS));
        }
        assertEquals(5, calls.get());
    }

    @Test
    void handOversBackOffWhileTheVerifierIsNotFoundAndResumeOnceItAnswers() {
        deployed.set(null);
        VerifierClient client = client();
        UsageHandOver usage = new UsageHandOver(client, System::currentTimeMillis);
        ManualScheduler scheduler = new ManualScheduler();
        usage.start(scheduler.service());
        for (int second = 0; second < 60; second++) {
            scheduler.tick();
        }
        assertTrue(lookups.get() <= 7, "a look-up every second would be 60; were " + lookups.get());

        deployed.set(good);
        assertInstanceOf(VerificationResult.Valid.class, client.verify(TokenHash.of(TOKEN)));
        scheduler.tick();
        assertEquals(1, good.sources.size(), "the hand-over follows at the next second");
    }

    private static boolean waitFor(java.util.function.BooleanSupplier condition) throws InterruptedException {
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() - end > 0) {
                return false;
            }
            Thread.sleep(10);
        }
        return true;
    }
}
