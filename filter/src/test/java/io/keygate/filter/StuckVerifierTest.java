package io.keygate.filter;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.keygate.protocol.FunctionsOnlyInvocable;
import io.keygate.protocol.VerifierProtocol;
import io.keygate.testing.FakeRequest;
import io.keygate.token.TokenFormat;
import io.keygate.token.TokenHash;
import java.security.SecureRandom;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import javax.script.Invocable;
import javax.script.ScriptException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A verifier whose proxy never answers (WildFly's proxy of a {@code keygate.war} that failed to start waits in its
 * start-up await for ever): requests get 503 within the timeout, the filter looks the verifier up again and recovers
 * when a good one is deployed, and neither {@code destroy()} nor the usage hand-over waits with the stuck call.
 */
class StuckVerifierTest {

    private static final String TOKEN = TokenFormat.generate(new SecureRandom());

    /** Never counted down while a test runs; released afterwards so that the stuck threads end. */
    private final CountDownLatch never = new CountDownLatch(1);
    private final CountDownLatch entered = new CountDownLatch(1);
    private final FakeVerifier good = new FakeVerifier(hash -> TokenHash.of(TOKEN).equals(hash)
            ? FakeVerifier.valid("alice", List.of("read")) : FakeVerifier.result(VerifierProtocol.INVALID))
            .subscribable();
    private final AtomicReference<Invocable> deployed = new AtomicReference<>(new Hanging(null));
    private final AtomicInteger lookups = new AtomicInteger();
    private final VerifierConnection.Locator locator = () -> {
        lookups.incrementAndGet();
        return deployed.get();
    };

    /** Waits for ever, as WildFly's start-up await does, deaf to interrupts; or only for one function. */
    private final class Hanging extends FunctionsOnlyInvocable {
        private final String only;

        Hanging(String only) {
            this.only = only;
        }

        @Override
        public Object invokeFunction(String name, Object... args) throws ScriptException, NoSuchMethodException {
            if (only != null && !only.equals(name)) {
                return good.invokeFunction(name, args);
            }
            entered.countDown();
            while (true) {
                try {
                    never.await();
                    return null;
                } catch (InterruptedException ignored) {
                    // as deaf as the worst proxy
                }
            }
        }
    }

    @AfterEach
    void release() {
        never.countDown();
    }

    private KeygateFilter filter(int timeoutMillis) throws Exception {
        FilterSettings settings = FilterSettingsTest.settings(Map.of(VerifierSettings.TIMEOUT_MILLIS,
                Integer.toString(timeoutMillis)));
        return new KeygateFilter(settings, new VerifierClient(locator, settings.verifier()));
    }

    private static FakeResponse run(KeygateFilter filter) throws Exception {
        FakeResponse response = new FakeResponse();
        filter.doFilter(FakeRequest.get("/api/whoami").bearer(TOKEN).build(), response.build(), new RecordingChain());
        return response;
    }

    @Test
    void requestToAHangingVerifierGets503WithRetryAfterWithinTheTimeout() throws Exception {
        KeygateFilter filter = filter(300);
        long started = System.nanoTime();
        FakeResponse response = run(filter);
        long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started);
        assertEquals(503, response.status);
        assertEquals("5", response.header("Retry-After"));
        assertTrue(millis < 1000, "answered after " + millis + " ms");
    }

    @Test
    void whileACallIsStuckFurtherRequestsFailFastInsteadOfQueuing() throws Exception {
        KeygateFilter filter = filter(1000);
        assertEquals(503, run(filter).status);
        long started = System.nanoTime();
        for (int i = 0; i < 20; i++) {
            assertEquals(503, run(filter).status);
        }
        long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started);
        assertTrue(millis < 500, "20 requests took " + millis + " ms");
    }

    @Test
    void nextRequestLooksTheVerifierUpAgainAndGets200OnceAGoodOneIsDeployed() throws Exception {
        KeygateFilter filter = filter(200);
        assertEquals(503, run(filter).status);
        int before = lookups.get();
        deployed.set(good);
        Thread.sleep(250); // one timeout: the next probe of the verifier
        FakeResponse response = run(filter);
        assertEquals(200, response.status);
        assertTrue(lookups.get() > before, "the stuck proxy was kept");
        assertEquals(List.of(TokenHash.of(TOKEN)), good.hashes);
    }

    @Test
    void destroyReturnsWithinTheBoundWhileARequestIsStuck() throws Exception {
        KeygateFilter filter = filter(VerifierSettings.MAX_TIMEOUT_MILLIS);
        Thread request = new Thread(() -> {
            try {
                run(filter);
            } catch (Exception e) {
                throw new AssertionError(e);
            }
        });
        request.setDaemon(true);
        request.start();
        assertTrue(entered.await(5, TimeUnit.SECONDS));
        long started = System.nanoTime();
        filter.destroy();
        long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started);
        assertTrue(millis < FilterParts.CLOSE_MILLIS + 1000, "destroy() took " + millis + " ms");
    }

    @Test
    void aStuckUsageHandOverDoesNotHoldTheFiltersShutdown() throws Exception {
        deployed.set(new Hanging(VerifierProtocol.RECORD_USAGE));
        FilterSettings settings = FilterSettingsTest.settings(Map.of(VerifierSettings.TIMEOUT_MILLIS,
                Integer.toString(VerifierSettings.MAX_TIMEOUT_MILLIS)));
        VerifierClient client = new VerifierClient(locator, settings.verifier());
        FilterParts parts = FilterParts.wire(settings, client, System::currentTimeMillis, "/sample", null);
        ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor(task -> {
            Thread thread = new Thread(task, "test-scheduler");
            thread.setDaemon(true);
            return thread;
        });
        try {
            assertTrue(parts.usage().start(scheduler));
            assertTrue(parts.verifier().verify(TokenHash.of(TOKEN)) instanceof VerificationResult.Valid);
            parts.usage().count("tok-1", System.currentTimeMillis());
            assertTrue(entered.await(5, TimeUnit.SECONDS), "the hand-over never called the verifier");
            long started = System.nanoTime();
            parts.close();
            long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started);
            assertTrue(millis < FilterParts.CLOSE_MILLIS + 1000, "close took " + millis + " ms");
        } finally {
            scheduler.shutdownNow();
        }
    }

    @Test
    void theLocatorLooksTheVerifierUpUnderTheConfiguredName() throws Exception {
        String name = "java:global/keygate-v2/TokenVerifier!javax.script.Invocable";
        VerifierSettings settings = FilterSettingsTest.settings(Map.of(VerifierSettings.JNDI, name)).verifier();
        FakeNaming naming = new FakeNaming(Map.of(name, good));
        assertSame(good, settings.locator(naming::context).locate());
        assertEquals(List.of(name), naming.names);
        assertEquals(VerifierProtocol.JNDI_NAME, FilterSettingsTest.settings(Map.of()).verifier().jndiName());
    }
}
