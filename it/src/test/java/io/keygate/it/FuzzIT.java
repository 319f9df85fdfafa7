package io.keygate.it;

import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.keygate.it.AdminClient.IssuedToken;
import io.keygate.it.FuzzITRequests.FuzzRequest;
import io.keygate.it.FuzzITTransport.Answer;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;

/**
 * Fuzzing the running server: {@value #REQUESTS} malformed, oversized (64 KiB), non-ASCII,
 * duplicated and random requests, built by {@link FuzzITRequests} from one printed seed, at
 * {@code /fuzz/api/whoami}, {@code /fuzz/public/status} (the sample as {@code fuzz.war}), the admin API (bodies
 * of every POST and PATCH, {@code limit} and {@code cursor}, the {@code Authorization} header) and
 * {@code /keygate/oauth2/token}, sent
 * by {@value #THREADS} threads through {@link FuzzITTransport}. Tokens go in as they are, mutated, unknown but
 * well formed, and with bad checksums.
 *
 * <p>Whatever comes in, the server answers: no status of 500 or more, no answer (headers or body) that holds a
 * {@value #WINDOW}-character piece of a token the request carried, and afterwards it still serves the sample.
 * A request to a protected path whose {@code Authorization} holds only mutated, unknown or bad-checksum tokens
 * ({@link FuzzRequest#forged()}) is refused: {@link #REFUSALS} (and 405 from the admin API, as
 * {@link #isRefusal} explains); never a 2xx, a redirect, a 404 or anything else that says the request got past
 * authentication.
 * Repeat a run with {@code -Dkeygate.it.fuzz-seed=<seed>}; {@code -Dkeygate.it.fuzz-requests=<n>} changes the
 * count.
 *
 * <p>Last of the suite on its server ({@code @Order}): its thousands of forged prefixes fill {@code keygate.war}'s
 * failure summaries for the minute after (at most 1000 rows a minute, then one overflow row, by design), so a class
 * after it would not find its own failures in the audit log ({@code AuditPrefixIT}).
 */
@Order(Integer.MAX_VALUE - 1)
class FuzzIT extends EveryServerIT {

    static final int REQUESTS = Integer.getInteger("keygate.it.fuzz-requests", 10_500);
    static final int THREADS = 6;
    static final Duration TIME_LIMIT = Duration.ofMinutes(4);
    /** No answer may contain this many consecutive characters of a token the request carried. */
    static final int WINDOW = 16;
    /** Requests that got no HTTP answer at all (the server closed the connection) allowed, per thousand. */
    static final int NO_ANSWER_PER_MILLE = 10;
    private static final int REPORTED = 10;
    private static final Pattern CURSOR = Pattern.compile("[?&]cursor=([^&>]+)");
    /**
     * The methods the server implements. For any other ({@code PROPFIND}, or {@code get}: method names are
     * case-sensitive) the container's {@code 501 Not Implemented} is the answer RFC 9110 section 15.6.2 asks
     * for, once Keygate has let the request through; it is counted, not reported.
     */
    private static final Set<String> METHODS = Set.of("GET", "HEAD", "POST", "PUT", "DELETE",
            "OPTIONS", "PATCH", "TRACE");
    /**
     * What may answer a forged token: 400 (a header the filter or the container cannot parse), 401 (the token is
     * not valid), 403 (a refusal before the token is looked at) and 503 (the verifier could not answer; also
     * reported as a server error).
     */
    static final Set<Integer> REFUSALS = Set.of(400, 401, 403, 503);

    private FuzzITRequests.Fixture fixture;

    /**
     * {@code fuzz.war}: the sample under another name, with the brute-force throttle off (see
     * {@code fuzz-it/microprofile-config.properties}), deployed beside {@code sample.war} ({@link SuiteWars}).
     */
    static WebArchive war() {
        return sampleWar("fuzz.war").addAsResource("fuzz-it/microprofile-config.properties",
                "META-INF/microprofile-config.properties");
    }

    @Test
    void fuzzedRequestsNeverGetAServerErrorNorATokenBack() throws Exception {
        long seed = Long.getLong("keygate.it.fuzz-seed", new SecureRandom().nextLong());
        System.out.println("FuzzIT seed " + seed + " (repeat with -Dkeygate.it.fuzz-seed=" + seed + ")");
        IssuedToken secret = prepare();
        FuzzITRequests requests = new FuzzITRequests(fixture);
        FuzzITTransport transport = new FuzzITTransport(server.getPort());
        Results results = new Results();

        long start = System.nanoTime();
        long deadline = start + TIME_LIMIT.toNanos();
        AtomicInteger next = new AtomicInteger();
        ExecutorService pool = Executors.newFixedThreadPool(THREADS);
        List<Future<?>> workers = new ArrayList<>();
        for (int t = 0; t < THREADS; t++) {
            workers.add(pool.submit(() -> {
                for (int i; (i = next.getAndIncrement()) < REQUESTS && System.nanoTime() < deadline; ) {
                    FuzzRequest request = requests.build(i, seed);
                    results.record(request, send(transport, request));
                }
                return null;
            }));
        }
        pool.shutdown();
        assertTrue(pool.awaitTermination(TIME_LIMIT.toSeconds() + 60, TimeUnit.SECONDS), "workers did not finish");
        for (Future<?> worker : workers) {
            worker.get();
        }
        Duration took = Duration.ofNanos(System.nanoTime() - start);
        System.out.println(results.report(seed, took));

        HttpResponse<String> whoami = getWithToken(server.resolve(FuzzITRequests.APP + "/api/whoami"), secret.token());
        HttpResponse<String> status = get(server.resolve(FuzzITRequests.APP + "/public/status"));
        assertAll(
                () -> assertEquals(REQUESTS, results.sent.sum(), "requests sent within " + TIME_LIMIT),
                () -> assertTrue(results.serverErrors.isEmpty(), () -> results.serverErrorCount.sum()
                        + " answers with status >= 500 (seed " + seed + "), the first:\n" + results.first(results.serverErrors)),
                () -> assertTrue(results.echoes.isEmpty(), () -> results.echoCount.sum()
                        + " answers that contain a token the request sent (seed " + seed + "), the first:\n"
                        + results.first(results.echoes)),
                () -> assertTrue(results.forgedCount.sum() * 100 >= REQUESTS, () -> "only "
                        + results.forgedCount.sum() + " requests with forged tokens to protected paths (seed " + seed
                        + "): too few for the check below to mean anything"),
                () -> assertTrue(results.admitted.isEmpty(), () -> results.admittedCount.sum()
                        + " requests with forged tokens to protected paths not refused (seed " + seed
                        + "), the first:\n" + results.first(results.admitted)),
                () -> assertTrue(results.noAnswerCount.sum() * 1000 <= (long) REQUESTS * NO_ANSWER_PER_MILLE,
                        () -> results.noAnswerCount.sum() + " requests got no answer (seed " + seed + "), the first:\n"
                                + results.first(results.noAnswers)),
                () -> assertEquals(200, whoami.statusCode(), "the sample still works: " + whoami.body()),
                () -> assertEquals(200, status.statusCode(), "the public path still works: " + status.body()));
    }

    /** Two tenants, a read-write secret to use and mutate, two tokens to PATCH and rotate, an issued cursor. */
    private IssuedToken prepare() {
        AdminClient admin = admin();
        String home = uniqueSlug("fuzz");
        admin.createTenant(home, "Fuzz");
        IssuedToken secret = admin.issue(home, "Fuzz secret", "fuzz-owner", null, "read", "write");
        String patchTenant = uniqueSlug("fuzz-patch");
        admin.createTenant(patchTenant, "Fuzz patches");
        IssuedToken patched = admin.issue(patchTenant, "Patch me", null, null, "read");
        IssuedToken rotated = admin.issue(patchTenant, "Rotate me", null, null, "read");
        HttpResponse<String> page = AdminClient.expect(200, admin.get("tenants/" + patchTenant + "/tokens?limit=1"));
        Matcher cursor = CURSOR.matcher(header(page, "Link"));
        assertTrue(cursor.find(), "a cursor in " + header(page, "Link"));
        fixture = new FuzzITRequests.Fixture(ADMIN_TOKEN, home, secret.token(), secret.id(), patchTenant, patched.id(),
                rotated.id(), cursor.group(1));
        return secret;
    }

    /**
     * Whether {@code answer} refuses a forged request: one of {@link #REFUSALS}, or, from the admin API only, 405.
     * JAX-RS matches the method against the resource before the admin API authenticates, so a method the resource
     * does not have is refused whatever the token; no resource method runs. The filter of a protected WAR
     * authenticates before anything is matched, so on the sample a 405 would mean a forged token got through.
     *
     * <p>A 429 is no refusal here: the sample's brute-force throttle is off in this deployment
     * ({@code keygate.throttle.max-failures=0}), forged tokens carry no rate limit, and {@code keygate.war}'s
     * throttle (the admin API, introspection, the token endpoints) counts per client address while every request
     * comes from an address of its own ({@link FuzzITTransport}). A 429 to a forged request would be a throttle
     * counting what it should not, and a 429 before the token is looked at would hide what this test checks.
     */
    static boolean isRefusal(FuzzRequest request, Answer answer) {
        if (REFUSALS.contains(answer.status())) {
            return true;
        }
        boolean adminApi = request.target().startsWith(FuzzITRequests.API + "/");
        return adminApi && answer.status() == 405;
    }

    private static Object send(FuzzITTransport transport, FuzzRequest request) {
        try {
            return transport.send(request);
        } catch (IOException e) {
            return e;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return e;
        }
    }

    /** Counts and the first offenders of each kind, filled by every worker. */
    private static final class Results {
        final LongAdder sent = new LongAdder();
        final LongAdder viaSocket = new LongAdder();
        final LongAdder serverErrorCount = new LongAdder();
        final LongAdder echoCount = new LongAdder();
        final LongAdder noAnswerCount = new LongAdder();
        final LongAdder forgedCount = new LongAdder();
        final LongAdder admittedCount = new LongAdder();
        final ConcurrentLinkedQueue<String> serverErrors = new ConcurrentLinkedQueue<>();
        final ConcurrentLinkedQueue<String> admitted = new ConcurrentLinkedQueue<>();
        final ConcurrentLinkedQueue<String> echoes = new ConcurrentLinkedQueue<>();
        final ConcurrentLinkedQueue<String> noAnswers = new ConcurrentLinkedQueue<>();
        final Map<String, LongAdder> statuses = new ConcurrentHashMap<>();

        void record(FuzzRequest request, Object outcome) {
            sent.increment();
            if (!(outcome instanceof Answer answer)) {
                noAnswerCount.increment();
                keep(noAnswers, request.summary() + "\n    -> " + outcome);
                statuses.computeIfAbsent(request.kind() + " no answer", k -> new LongAdder()).increment();
                return;
            }
            if (answer.raw()) {
                viaSocket.increment();
            }
            statuses.computeIfAbsent(request.kind() + " " + answer.status(), k -> new LongAdder()).increment();
            if (request.forged()) {
                forgedCount.increment();
                statuses.computeIfAbsent("forged token " + answer.status(), k -> new LongAdder()).increment();
                if (!isRefusal(request, answer)) {
                    admittedCount.increment();
                    keep(admitted, request.summary() + "\n    -> " + describe(answer));
                }
            }
            if (answer.status() >= 500 && !(answer.status() == 501 && !METHODS.contains(request.method()))) {
                serverErrorCount.increment();
                keep(serverErrors, request.summary() + "\n    -> " + describe(answer));
            }
            String echoed = echoedSecret(request, answer);
            if (echoed != null) {
                echoCount.increment();
                keep(echoes, request.summary() + "\n    -> contains '" + echoed + "': " + describe(answer));
            }
        }

        /** A {@value #WINDOW}-character piece of a secret of the request that the answer contains, or null. */
        private static String echoedSecret(FuzzRequest request, Answer answer) {
            for (String secret : request.secrets()) {
                for (int i = 0; i + WINDOW <= secret.length(); i++) {
                    String piece = secret.substring(i, i + WINDOW);
                    if (answer.body().contains(piece) || answer.headers().contains(piece)) {
                        return piece;
                    }
                }
            }
            return null;
        }

        private static String describe(Answer answer) {
            return answer.status() + " " + FuzzITRequests.printable(answer.headers(), 300) + " "
                    + FuzzITRequests.printable(answer.body(), 300);
        }

        private static void keep(ConcurrentLinkedQueue<String> list, String entry) {
            if (list.size() < REPORTED) {
                list.add(entry);
            }
        }

        String first(ConcurrentLinkedQueue<String> list) {
            return String.join("\n", list);
        }

        String report(long seed, Duration took) {
            StringBuilder text = new StringBuilder("FuzzIT: ").append(sent.sum()).append(" requests in ")
                    .append(took.toMillis()).append(" ms (seed ").append(seed).append(", ").append(viaSocket.sum())
                    .append(" over a plain socket), ").append(serverErrorCount.sum()).append(" with status >= 500, ")
                    .append(echoCount.sum()).append(" echoing a token, ").append(noAnswerCount.sum())
                    .append(" without an answer; ").append(forgedCount.sum())
                    .append(" with forged tokens to protected paths, ").append(admittedCount.sum())
                    .append(" of them not refused\n");
            new TreeMap<>(statuses).forEach((key, count) -> text.append("  ").append(key).append(": ")
                    .append(count.sum()).append('\n'));
            for (String entry : serverErrors) {
                text.append("  5xx ").append(entry).append('\n');
            }
            for (String entry : echoes) {
                text.append("  echo ").append(entry).append('\n');
            }
            for (String entry : admitted) {
                text.append("  not refused ").append(entry).append('\n');
            }
            for (String entry : noAnswers) {
                text.append("  no answer ").append(entry).append('\n');
            }
            return text.toString();
        }
    }
}
