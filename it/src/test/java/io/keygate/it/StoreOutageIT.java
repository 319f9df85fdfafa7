package io.keygate.it;

import static io.keygate.it.AdminClient.expect;
import static io.keygate.it.KeygateIT.header;
import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.keygate.it.AdminClient.IssuedToken;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Predicate;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ConditionEvaluationResult;
import org.junit.jupiter.api.extension.ExecutionCondition;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * The database goes down under load, and comes back: README, Security, "Fail closed". {@code keygate.war} and
 * {@code sample.war} run on PostgreSQL ({@link KeygateOnPostgres}); the test stops the PostgreSQL cluster while
 * {@value #THREADS} clients keep sending every kind of request, starts it again, and checks what a client saw:
 *
 * <ul>
 * <li>a token that is not in the filter's cache gets {@code 503} with {@code Retry-After}, never {@code 200}, never
 * {@code 401}; so do the admin API (as a problem), introspection and the token endpoint;</li>
 * <li>a revoked token is never admitted ({@code 401} when its refusal is cached, else {@code 503});</li>
 * <li>the token in the cache keeps working for {@code keygate.cache.ttl-seconds} after it was cached, then gets
 * {@code 503};</li>
 * <li>what needs no store does not change: no token and a bad checksum are {@code 401}, a public path {@code 200};
 * </li>
 * <li>every answer comes at once, not after the store's retries;</li>
 * <li>when the database is back, everything works again without restarting anything, and {@code usageCount} in the
 * database equals the {@code 200} answers each token got, those during the outage included;</li>
 * <li>the server log says the store was unreachable and is back, without a line per failed request, and holds
 * none of the test's tokens.</li>
 * </ul>
 *
 * <p>PostgreSQL is down for about {@code ttl-seconds} plus two seconds, and is started again whatever happens
 * ({@link PostgresCluster#stopped}).
 */
@ExtendWith({KeygateOnPostgres.Configured.class, PostgresStoreIT.PostgresReachable.class,
        StoreOutageIT.ClusterControl.class, KeygateOnPostgres.Resolver.class})
class StoreOutageIT {

    static final int THREADS = 4;
    /** Every answer during the outage must come within this: it was 10 s while the store retried. */
    static final Duration FAIL_FAST = Duration.ofSeconds(3);
    /** How soon after the database accepts connections again the server must answer 200. */
    static final Duration RECOVERY_BOUND = Duration.ofSeconds(30);
    /** How late usage counts may be written after the database is back: 5 s documented lag, plus retries. */
    static final Duration USAGE_BOUND = Duration.ofSeconds(20);
    /** How many log lines the outage may cost, whatever the load; it was some 560 per failed request. */
    static final int LOG_LINES_BOUND = 200;

    /** One kind of request the clients send, with the token it carries (null: none, or not a counted use). */
    private record Probe(String name, String countedTokenId, HttpRequest request) {
    }

    /** What a probe got, with when it was sent and answered ({@link System#nanoTime()}). */
    private record Answer(Probe probe, int status, long sent, long answered, HttpResponse<String> response,
            String failure) {

        Duration took() {
            return Duration.ofNanos(answered - sent);
        }

        String retryAfter() {
            return response == null ? null : header(response, "Retry-After");
        }

        String describe() {
            return probe.name() + ": " + (failure != null ? failure : status + " after " + took().toMillis()
                    + " ms " + (response == null ? "" : response.body()));
        }
    }

    /** 200 answers per token id, over the whole test: what usageCount must say in the end. */
    private final Map<String, LongAdder> uses = new ConcurrentHashMap<>();

    @Test
    void databaseDownUnderLoadThenBack(KeygateOnPostgres server) throws Exception {
        AdminClient admin = server.admin();
        String slug = KeygateIT.uniqueSlug("outage");
        admin.createTenant(slug, "Store outage");
        IssuedToken cached = admin.issue(slug, "Cached", null, null, "read");
        List<IssuedToken> neverUsed = List.of(admin.issue(slug, "Never used 1", null, null, "read"),
                admin.issue(slug, "Never used 2", null, null, "read"),
                admin.issue(slug, "Never used 3", null, null, "read"));
        IssuedToken secret = admin.issue(slug, "Client secret", null, null, "read");
        IssuedToken revokedUnused = admin.issue(slug, "Revoked, never used", null, null, "read");
        IssuedToken revokedUsed = admin.issue(slug, "Revoked after use", null, null, "read");
        admin.revoke(revokedUnused);
        expect(200, whoami(server, revokedUsed).response());
        admin.revoke(revokedUsed);
        expect(401, whoami(server, revokedUsed).response());

        List<Probe> probes = new ArrayList<>();
        probes.add(whoamiProbe(server, "cached token", cached));
        neverUsed.forEach(token -> probes.add(whoamiProbe(server, "token not in the cache", token)));
        probes.add(whoamiProbe(server, "token revoked before use", revokedUnused));
        probes.add(whoamiProbe(server, "token revoked after use", revokedUsed));
        probes.add(new Probe("bad checksum", null, KeygateIT.request(server.sample("/api/whoami"))
                .header("Authorization", "Bearer " + KeygateIT.withBadChecksum(neverUsed.get(0).token())).build()));
        probes.add(new Probe("no token", null, KeygateIT.request(server.sample("/api/whoami")).build()));
        probes.add(new Probe("public path with a token", null, KeygateIT.request(server.sample("/public/status"))
                .header("Authorization", "Bearer " + neverUsed.get(1).token()).build()));
        probes.add(new Probe("admin API", null, KeygateIT.request(server.keygate("/api/v1/tenants/" + slug
                + "/tokens")).header("Authorization", "Bearer " + KeygateIT.ADMIN_TOKEN).build()));
        probes.add(new Probe("introspection", null, form(server.keygate("/oauth2/introspect"),
                "Bearer " + KeygateIT.ADMIN_TOKEN, "token=" + neverUsed.get(2).token())));
        probes.add(new Probe("token endpoint", null, form(server.keygate("/oauth2/token"), basic(secret),
                "grant_type=client_credentials")));

        long logBefore = lines(server);
        // The cache keeps the token's verdict for ttl-seconds from now.
        long warmSent = System.nanoTime();
        expect(200, whoami(server, cached).response());
        long warmAnswered = System.nanoTime();

        ConcurrentLinkedQueue<Answer> during = new ConcurrentLinkedQueue<>();
        long[] down = new long[2];
        PostgresCluster.stopped(() -> {
            down[0] = System.nanoTime();
            load(probes, warmAnswered + KeygateOnPostgres.CACHE_TTL.plusMillis(2000).toNanos(), during);
            down[1] = System.nanoTime();
        });
        long back = System.nanoTime();

        Duration recovery = untilOk(() -> whoami(server, neverUsed.get(0)));
        long cachedUntil = warmSent + KeygateOnPostgres.CACHE_TTL.toNanos();
        long cachedAfter = warmAnswered + KeygateOnPostgres.CACHE_TTL.toNanos();
        System.out.printf("StoreOutageIT: database down for %d ms; %d answers meanwhile: %s; slowest %d ms;"
                        + " 200 again %d ms after the database was back%n",
                Duration.ofNanos(back - down[0]).toMillis(), during.size(), statuses(during),
                during.stream().mapToLong(a -> a.took().toMillis()).max().orElse(0), recovery.toMillis());

        assertAll("while the database was down",
                () -> assertTrue(during.stream().noneMatch(a -> a.failure() != null),
                        () -> "every request is answered: " + first(during, a -> a.failure() != null)),
                () -> assertTrue(during.stream().allMatch(a -> a.took().compareTo(FAIL_FAST) < 0),
                        () -> "every answer within " + FAIL_FAST + ": "
                                + first(during, a -> a.took().compareTo(FAIL_FAST) >= 0)),
                () -> assertAnswers(during, "cached token", a -> a.answered() < cachedUntil,
                        "200 while its verdict is cached (" + KeygateOnPostgres.CACHE_TTL + ")",
                        a -> a.status() == 200),
                () -> assertAnswers(during, "cached token", a -> a.sent() > cachedAfter,
                        "503 with Retry-After once its verdict expired",
                        a -> a.status() == 503 && a.retryAfter() != null),
                () -> assertAnswers(during, "token not in the cache", a -> true,
                        "503 with Retry-After, never 200, never 401", a -> a.status() == 503 && a.retryAfter() != null),
                () -> assertAnswers(during, "token revoked before use", a -> true,
                        "never admitted: 401, or 503 with Retry-After", StoreOutageIT::refusedOrUnavailable),
                () -> assertAnswers(during, "token revoked after use", a -> true,
                        "never admitted: 401, or 503 with Retry-After", StoreOutageIT::refusedOrUnavailable),
                () -> assertAnswers(during, "bad checksum", a -> true, "401 invalid_token, as always",
                        a -> a.status() == 401 && header(a.response(), "WWW-Authenticate")
                                .contains("error=\"invalid_token\"")),
                () -> assertAnswers(during, "no token", a -> true, "401, as always", a -> a.status() == 401),
                () -> assertAnswers(during, "public path with a token", a -> true, "200: a public path never fails",
                        a -> a.status() == 200),
                () -> assertAnswers(during, "admin API", a -> true, "503 problem with Retry-After",
                        a -> a.status() == 503 && a.retryAfter() != null
                                && "application/problem+json".equals(header(a.response(), "Content-Type"))),
                () -> assertAnswers(during, "introspection", a -> true, "503 with Retry-After",
                        a -> a.status() == 503 && a.retryAfter() != null),
                () -> assertAnswers(during, "token endpoint", a -> true, "503 with Retry-After",
                        a -> a.status() == 503 && a.retryAfter() != null));

        assertTrue(recovery.compareTo(RECOVERY_BOUND) < 0, "no 200 within " + RECOVERY_BOUND
                + " after the database was back");
        assertAll("once the database is back, without a restart",
                () -> expect(200, whoami(server, cached).response()),
                () -> neverUsed.forEach(token -> expect(200, whoami(server, token).response())),
                () -> expect(401, whoami(server, revokedUnused).response()),
                () -> expect(401, whoami(server, revokedUsed).response()),
                () -> expect(200, admin.get("tenants/" + slug + "/tokens")),
                () -> assertTrue(KeygateIT.object(expect(200, KeygateIT.send(probes.stream()
                        .filter(p -> p.name().equals("introspection")).findFirst().orElseThrow().request())))
                        .getBoolean("active"), "introspection"),
                () -> expect(200, KeygateIT.send(probes.stream().filter(p -> p.name().equals("token endpoint"))
                        .findFirst().orElseThrow().request())));

        List<IssuedToken> counted = new ArrayList<>(neverUsed);
        counted.addAll(List.of(cached, revokedUnused, revokedUsed));
        Map<String, Long> expected = counted.stream().collect(Collectors.toMap(IssuedToken::id,
                token -> uses.getOrDefault(token.id(), new LongAdder()).sum(), (a, b) -> a, TreeMap::new));
        Map<String, Long> stored = untilStored(expected);
        System.out.printf("StoreOutageIT: usageCount in the database %s, 200 answers per token %s%n", stored, expected);
        assertEquals(expected, stored, "usageCount in the database: every 200 answer counted once, none lost");
        for (IssuedToken token : counted) {
            assertEquals(expected.get(token.id()), admin.token(token).getJsonNumber("usageCount").longValue(),
                    "usageCount of " + token.created().getString("name") + " in the admin API");
        }

        List<String> outageLog = Files.readAllLines(server.log(), StandardCharsets.UTF_8)
                .subList((int) logBefore, (int) lines(server));
        System.out.printf("StoreOutageIT: the server logged %d lines during the outage and the recovery%n",
                outageLog.size());
        String logText = String.join("\n", outageLog);
        PlaintextSearch search = new PlaintextSearch(PlaintextSearch.STORED);
        counted.forEach(token -> search.add(token.created().getString("name"), token.token()));
        search.add("the client secret", secret.token()).add("its Basic credential", basic(secret).substring(6))
                .add("the admin token", KeygateIT.ADMIN_TOKEN);
        assertAll("the server log",
                () -> assertTrue(logText.contains("Keygate cannot reach its token store"),
                        "says that the store could not be reached"),
                () -> assertTrue(logText.contains("Keygate reaches its token store"), "says that it is back"),
                () -> assertTrue(outageLog.size() < LOG_LINES_BOUND, outageLog.size() + " lines for "
                        + during.size() + " requests: the outage floods the log"),
                () -> assertEquals(List.of(), search.findIn("the server log", logText), "no token in the log"));
    }

    private Answer whoami(KeygateOnPostgres server, IssuedToken token) {
        return send(whoamiProbe(server, "whoami", token));
    }

    private static Probe whoamiProbe(KeygateOnPostgres server, String name, IssuedToken token) {
        return new Probe(name, token.id(), KeygateIT.request(server.sample("/api/whoami"))
                .header("Authorization", "Bearer " + token.token()).build());
    }

    /** Sends {@code probes} round robin from {@value #THREADS} threads until {@code until}, into {@code answers}. */
    private void load(List<Probe> probes, long until, ConcurrentLinkedQueue<Answer> answers) throws Exception {
        ExecutorService threads = Executors.newFixedThreadPool(THREADS);
        try {
            List<Future<?>> clients = new ArrayList<>();
            for (int t = 0; t < THREADS; t++) {
                int offset = t;
                clients.add(threads.submit(() -> {
                    for (int i = offset; System.nanoTime() < until; i++) {
                        answers.add(send(probes.get(i % probes.size())));
                    }
                }));
            }
            for (Future<?> client : clients) {
                client.get();
            }
        } finally {
            threads.shutdownNow();
        }
    }

    /** Sends the probe's request; a 200 on a token counts as one of its uses. Never throws. */
    private Answer send(Probe probe) {
        long sent = System.nanoTime();
        try {
            HttpResponse<String> response = KeygateIT.HTTP.send(probe.request(), HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() == 200 && probe.countedTokenId() != null) {
                uses.computeIfAbsent(probe.countedTokenId(), id -> new LongAdder()).increment();
            }
            return new Answer(probe, response.statusCode(), sent, System.nanoTime(), response, null);
        } catch (IOException e) {
            return new Answer(probe, -1, sent, System.nanoTime(), null, "no answer: " + e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new Answer(probe, -1, sent, System.nanoTime(), null, "interrupted");
        }
    }

    /** Polls until {@code request} answers 200; how long that took. */
    private static Duration untilOk(java.util.function.Supplier<Answer> request) throws InterruptedException {
        long start = System.nanoTime();
        Answer last;
        do {
            last = request.get();
            if (last.status() == 200) {
                return Duration.ofNanos(System.nanoTime() - start);
            }
            Thread.sleep(50);
        } while (System.nanoTime() - start < RECOVERY_BOUND.toNanos());
        throw new AssertionError("still no 200 " + RECOVERY_BOUND + " after the database was back: "
                + last.describe());
    }

    /** usageCount of the tokens in the database, polled until it is {@code expected} or {@link #USAGE_BOUND}. */
    private static Map<String, Long> untilStored(Map<String, Long> expected) throws InterruptedException {
        String ids = expected.keySet().stream().map(id -> "'" + id + "'").collect(Collectors.joining(","));
        long deadline = System.nanoTime() + USAGE_BOUND.toNanos();
        Map<String, Long> stored;
        do {
            stored = new TreeMap<>();
            for (String row : PostgresCluster.query("SELECT id, usage_count FROM " + KeygateOnPostgres.SCHEMA
                    + ".kg_token WHERE id IN (" + ids + ")")) {
                String[] columns = row.split("\\|");
                stored.put(columns[0], Long.parseLong(columns[1]));
            }
            if (stored.equals(expected)) {
                return stored;
            }
            Thread.sleep(250);
        } while (System.nanoTime() < deadline);
        return stored;
    }

    private static void assertAnswers(ConcurrentLinkedQueue<Answer> answers, String probe, Predicate<Answer> which,
            String must, Predicate<Answer> check) {
        List<Answer> concerned = answers.stream().filter(a -> a.probe().name().equals(probe)).filter(which).toList();
        assertFalse(concerned.isEmpty(), probe + ": no answer to check for '" + must + "'");
        List<Answer> wrong = concerned.stream().filter(check.negate()).toList();
        assertTrue(wrong.isEmpty(), () -> probe + " must get " + must + "; " + wrong.size() + " of "
                + concerned.size() + " did not, the first: " + wrong.get(0).describe());
    }

    private static boolean refusedOrUnavailable(Answer answer) {
        return answer.status() == 401 || (answer.status() == 503 && answer.retryAfter() != null);
    }

    private static String first(ConcurrentLinkedQueue<Answer> answers, Predicate<Answer> which) {
        return answers.stream().filter(which).findFirst().map(Answer::describe).orElse("none");
    }

    /** "probe: status xN" for every probe and status, in the order of the probes. */
    private static String statuses(ConcurrentLinkedQueue<Answer> answers) {
        Map<String, Map<Integer, Long>> counts = new LinkedHashMap<>();
        for (Answer answer : answers) {
            counts.computeIfAbsent(answer.probe().name(), k -> new TreeMap<>()).merge(answer.status(), 1L, Long::sum);
        }
        return counts.toString();
    }

    private static HttpRequest form(URI uri, String authorization, String body) {
        return KeygateIT.request(uri).header("Authorization", authorization)
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build();
    }

    /** The HTTP Basic credential of a client secret at the token endpoint. */
    private static String basic(IssuedToken secret) {
        return "Basic " + Base64.getEncoder().encodeToString((URLEncoder.encode(secret.id(), StandardCharsets.UTF_8)
                + ":" + secret.token()).getBytes(StandardCharsets.UTF_8));
    }

    private static long lines(KeygateOnPostgres server) throws IOException {
        try (var lines = Files.lines(server.log(), StandardCharsets.UTF_8)) {
            return lines.count();
        }
    }

    /**
     * Runs the class only where the test can stop and start PostgreSQL (the Debian cluster tools); elsewhere it is
     * skipped with the reason, or fails when {@code KEYGATE_REQUIRE_DATABASES=true} (CI).
     */
    static final class ClusterControl implements ExecutionCondition {

        @Override
        public ConditionEvaluationResult evaluateExecutionCondition(ExtensionContext context) {
            String why = PostgresCluster.whyUncontrollable();
            if (why == null) {
                return ConditionEvaluationResult.enabled("the PostgreSQL cluster can be stopped and started");
            }
            if ("true".equalsIgnoreCase(System.getenv("KEYGATE_REQUIRE_DATABASES"))) {
                throw new IllegalStateException("cannot stop and start PostgreSQL: " + why
                        + " (KEYGATE_REQUIRE_DATABASES=true requires it)");
            }
            return ConditionEvaluationResult.disabled("cannot stop and start PostgreSQL: " + why
                    + " (skipped; KEYGATE_REQUIRE_DATABASES=true makes this a failure)");
        }
    }
}
