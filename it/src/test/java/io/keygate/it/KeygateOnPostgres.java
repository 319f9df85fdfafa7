package io.keygate.it;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.extension.ConditionEvaluationResult;
import org.junit.jupiter.api.extension.ExecutionCondition;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * {@code keygate.war} and {@code sample.war} on a Payara Micro of the tests' own ({@link MicroProcess}), storing
 * tokens in PostgreSQL, in a schema of their own that Keygate creates when missing; configured as an admin would,
 * by environment only. For the tests that stop the database under it ({@link StoreOutageIT}) and that search its
 * log and a dump of its schema ({@link NoPlaintextIT}).
 *
 * <p>One server for the whole test run: the first test that takes it as a parameter starts it, and JUnit stops
 * it when the run ends.
 *
 * <pre>
 * &#64;ExtendWith({KeygateOnPostgres.Configured.class, KeygateOnPostgres.Resolver.class})
 * class SomeIT {
 *     &#64;Test
 *     void something(KeygateOnPostgres server) { ... server.sample("/api/whoami") ... }
 * }
 * </pre>
 *
 * <p>Configured by failsafe system properties: {@code keygate.it.keygate-war}, {@code keygate.it.sample-war},
 * {@code keygate.it.outage.port} (the HTTP port) and {@code keygate.it.postgresql.*} (the schema is
 * {@code keygate.it.postgresql.schema}).
 */
final class KeygateOnPostgres implements ExtensionContext.Store.CloseableResource {

    /**
     * {@code keygate.cache.ttl-seconds} of {@code sample.war}: how long a valid verdict is kept, and so how long a
     * cached token keeps working while the database is down. Short, so that the outage the test causes is short.
     */
    static final Duration CACHE_TTL = Duration.ofSeconds(5);
    static final String SCHEMA = KeygateIT.requiredProperty("keygate.it.postgresql.schema");

    private static final int PORT = Integer.parseInt(KeygateIT.requiredProperty(Configured.PROPERTY));
    private static final Path KEYGATE_WAR = Path.of(KeygateIT.requiredProperty("keygate.it.keygate-war"));
    private static final Path SAMPLE_WAR = Path.of(KeygateIT.requiredProperty("keygate.it.sample-war"));

    private final MicroProcess process;
    private final URI root = URI.create("http://localhost:" + PORT + "/");

    private KeygateOnPostgres(MicroProcess process) {
        this.process = process;
    }

    private static KeygateOnPostgres start() {
        String url = "jdbc:postgresql://" + PostgresCluster.HOST + ":" + PostgresCluster.PORT + "/"
                + PostgresCluster.DATABASE + "?currentSchema=" + SCHEMA;
        MicroProcess process = MicroProcess.start("keygate-on-postgresql", PORT, List.of(KEYGATE_WAR, SAMPLE_WAR),
                Map.of("KEYGATE_ADMIN_TOKEN", KeygateIT.ADMIN_TOKEN,
                        "KEYGATE_DB_URL", url,
                        "KEYGATE_DB_USER", PostgresCluster.USER,
                        "KEYGATE_CACHE_TTL_SECONDS", Long.toString(CACHE_TTL.toSeconds()),
                        // These tests fail authentications from one address on purpose: no 429 in their way.
                        "KEYGATE_THROTTLE_MAX_FAILURES", "0"),
                List.of());
        try {
            process.awaitReady(Duration.ofMinutes(3));
        } catch (RuntimeException | AssertionError e) {
            process.close();
            throw e;
        }
        return new KeygateOnPostgres(process);
    }

    /** Everything the server wrote to its console: its log. */
    Path log() {
        return process.log();
    }

    /** {@code path} of {@code sample.war}, e.g. {@code /api/whoami}. */
    URI sample(String path) {
        return root.resolve("/sample" + path);
    }

    /** {@code path} of {@code keygate.war}, e.g. {@code /oauth2/token}. */
    URI keygate(String path) {
        return root.resolve("/keygate" + path);
    }

    /** {@code path} of the server itself, e.g. {@code /health/ready}. */
    URI root(String path) {
        return root.resolve(path);
    }

    /** The admin API with the bootstrap admin token. */
    AdminClient admin() {
        return new AdminClient(keygate("/api/v1/"), KeygateIT.ADMIN_TOKEN);
    }

    @Override
    public void close() {
        process.close();
    }

    /**
     * Runs a class only in the failsafe execution that configures this server ({@code on-postgresql-outage}), and
     * skips it in the others: so {@code -Dit.test=StoreOutageIT}, which every execution obeys, runs it once.
     *
     * <p>Without {@code -Dit.test} a class that uses this server is included by {@code on-postgresql-outage} only,
     * so a missing {@value #PROPERTY} there means that execution lost its configuration: with
     * {@value #REQUIRE}{@code =true} (CI) that fails the class instead of skipping it, as an unreachable database
     * does in the store tests; without it the class is skipped with the reason.
     */
    static final class Configured implements ExecutionCondition {

        static final String PROPERTY = "keygate.it.outage.port";
        /** Environment variable that turns a skip into a failure, as in CI. */
        static final String REQUIRE = "KEYGATE_REQUIRE_DATABASES";
        /** Failsafe's {@code -Dit.test}, passed on to the tests' JVM: set, every execution runs the named classes. */
        static final String SELECTED_TESTS = "it.test";

        @Override
        public ConditionEvaluationResult evaluateExecutionCondition(ExtensionContext context) {
            return evaluate(System.getProperty(PROPERTY), System.getProperty(SELECTED_TESTS), System.getenv(REQUIRE));
        }

        static ConditionEvaluationResult evaluate(String port, String selectedTests, String require) {
            if (port != null && !port.isBlank()) {
                return ConditionEvaluationResult.enabled(PROPERTY + " is set");
            }
            String reason = PROPERTY + " is not set: runs in the failsafe execution on-postgresql-outage only";
            if (selectedTests != null && !selectedTests.isBlank()) {
                return ConditionEvaluationResult.disabled(reason + " (-Dit.test runs it in every execution)");
            }
            if ("true".equalsIgnoreCase(require)) {
                throw new IllegalStateException(reason + ", and no other execution includes it: its configuration is"
                        + " missing (" + REQUIRE + "=true requires it)");
            }
            return ConditionEvaluationResult.disabled(reason + " (skipped; " + REQUIRE + "=true makes this a failure)");
        }
    }

    /** Gives a test method or {@code @BeforeAll} method the server, starting it if no test has yet. */
    static final class Resolver implements ParameterResolver {

        private static final ExtensionContext.Namespace NAMESPACE =
                ExtensionContext.Namespace.create(KeygateOnPostgres.class);

        @Override
        public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
            return parameter.getParameter().getType() == KeygateOnPostgres.class;
        }

        @Override
        public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
            return context.getRoot().getStore(NAMESPACE)
                    .getOrComputeIfAbsent(KeygateOnPostgres.class, key -> start(), KeygateOnPostgres.class);
        }
    }
}
