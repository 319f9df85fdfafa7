package io.keygate.filter;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.keygate.bearer.BearerChallenge;
import io.keygate.config.ConfigLookup;
import io.keygate.token.Scopes;
import io.keygate.transport.TransportSecurity;
import jakarta.servlet.ServletException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;
import net.jqwik.api.statistics.Statistics;

/**
 * Property-based fuzzing of the configuration a WAR can give the filter (docs/configuration.md, "Where values
 * come from": a bad value fails the deployment with a message that names the key and the value).
 * Any text in any key gives either settings that work for every request or a {@link ServletException} that
 * names the key; {@code keygate.scope-rules} alone gives a policy or an {@link IllegalArgumentException}; nothing
 * else is ever thrown.
 */
class ConfigFuzzTest {

    private static final List<String> KEYS = List.of(FilterSettings.PUBLIC_PATHS, FilterSettings.REALM,
            TransportSecurity.REQUIRE_HTTPS, TransportSecurity.ALLOW_LOOPBACK_HTTP, TransportSecurity.TRUSTED_PROXIES,
            FilterSettings.SCOPE_RULES, CacheSettings.MAX_ENTRIES, CacheSettings.TTL_SECONDS,
            CacheSettings.NEGATIVE_TTL_SECONDS);
    private static final List<String> METHODS = List.of("GET", "HEAD", "OPTIONS", "POST", "PUT", "DELETE", "PATCH",
            "get", "", "M-SEARCH");
    private static final String INVALID = "Invalid Keygate configuration ";

    @Property
    void parseWhenAnyScopeRulesThenPolicyForEveryRequestOrIllegalArgument(@ForAll("ruleTexts") String text,
            @ForAll("requestPaths") String rawPath) {
        ScopePolicy policy;
        try {
            policy = ScopePolicy.parse(text);
        } catch (IllegalArgumentException e) {
            assertTrue(e.getMessage() != null && e.getMessage().startsWith("rule \""), e.getMessage());
            Statistics.label("parsed").collect(false);
            return;
        }
        Statistics.label("parsed").collect(true).coverage(coverage -> {
            coverage.check(true).percentage(p -> p > 10);
            coverage.check(false).percentage(p -> p > 10);
        });
        RequestPath path = RequestPath.normalise(rawPath);
        for (String method : METHODS) {
            List<String> required = policy.requiredScopes(method, path);
            assertFalse(required.isEmpty(), method);
            required.forEach(scope -> assertTrue(Scopes.isValidName(scope), scope));
            if (!path.isSafe()) {
                String effective = method.equals("HEAD") ? "GET" : method;
                assertTrue(required.contains(ScopePolicy.methodScope(effective)), "fail closed on an unsafe path");
            }
        }
    }

    @Property
    void readWhenAnyValuesThenSettingsOrServletExceptionNamingTheKey(@ForAll("configs") Map<String, String> config,
            @ForAll("contextPaths") String contextPath) {
        FilterSettings settings;
        try {
            settings = FilterSettings.read(lookup(config), contextPath);
        } catch (ServletException e) {
            String message = e.getMessage();
            assertNotNull(message);
            assertTrue(KEYS.stream().anyMatch(key -> message.startsWith(INVALID + key + "=\"")
                    && (isSet(config, key) || key.equals(FilterSettings.REALM))), message);
            Statistics.label("read").collect("refused");
            return;
        }
        Statistics.label("read").collect("settings").coverage(coverage -> {
            coverage.check("settings").percentage(p -> p > 5);
            coverage.check("refused").percentage(p -> p > 5);
        });
        assertTrue(BearerChallenge.isValidParameterValue(settings.realm()));
        for (String raw : List.of("/", "/public/status", "/api/whoami", "/a/../b", "/../etc")) {
            RequestPath path = RequestPath.normalise(raw);
            settings.isPublic(path);
            assertFalse(settings.scopePolicy().requiredScopes("GET", path).isEmpty());
        }
        settings.transportSecurity();
    }

    @Property
    void readWhenOneKeyHasAnyValueThenRefusalNamesThatKey(@ForAll("keys") String key, @ForAll("values") String value) {
        try {
            FilterSettings.read(lookup(Map.of(key, value)), "/sample");
        } catch (ServletException e) {
            assertTrue(e.getMessage().startsWith(INVALID + key + "=\"" + value.strip() + "\": "), e.getMessage());
        }
    }

    private static boolean isSet(Map<String, String> config, String key) {
        return config.containsKey(key) && !config.get(key).isBlank();
    }

    private static ConfigLookup lookup(Map<String, String> webXml) {
        return new ConfigLookup(null, webXml::get, Map.of(), new Properties());
    }

    // ---- generators ----

    @Provide
    Arbitrary<String> keys() {
        return Arbitraries.of(KEYS);
    }

    /** Some keys, each with a value that is mostly right for it and sometimes anything at all. */
    @Provide
    Arbitrary<Map<String, String>> configs() {
        return Arbitraries.of(KEYS).list().uniqueElements().ofMaxSize(4).flatMap(keys -> {
            List<Arbitrary<String>> values = keys.stream().map(key -> Arbitraries.frequencyOf(
                    Tuple.of(9, plausible(key)), Tuple.of(1, values()))).toList();
            return Combinators.combine(values).as(list -> {
                Map<String, String> config = new LinkedHashMap<>();
                for (int i = 0; i < keys.size(); i++) {
                    config.put(keys.get(i), list.get(i));
                }
                return config;
            });
        });
    }

    private Arbitrary<String> plausible(String key) {
        return switch (key) {
            case FilterSettings.PUBLIC_PATHS -> Arbitraries.frequencyOf(Tuple.of(4, validPatterns()),
                    Tuple.of(1, patternTexts())).list().ofMaxSize(3).map(list -> String.join(", ", list));
            case FilterSettings.REALM -> Arbitraries.strings().ascii().ofMaxLength(20);
            case TransportSecurity.REQUIRE_HTTPS, TransportSecurity.ALLOW_LOOPBACK_HTTP ->
                    Arbitraries.of("true", "false", "TRUE", "False", " true ", "", "yes");
            case TransportSecurity.TRUSTED_PROXIES -> addresses().list().ofMaxSize(2).map(list -> String.join(",", list));
            case FilterSettings.SCOPE_RULES -> ruleTexts();
            default -> Arbitraries.oneOf(Arbitraries.integers().between(-1, 100_000).map(String::valueOf),
                    Arbitraries.of("", "x", "1e3", "10000001"));
        };
    }

    @Provide
    Arbitrary<String> contextPaths() {
        return Arbitraries.oneOf(Arbitraries.of("", "/sample", "/a b", "/caf\u00e9", "/\"q\"", "/back\\slash"),
                Arbitraries.strings().all().ofMaxLength(20).map(s -> "/" + s));
    }

    /** Text for any key: what each key expects, near misses, lists, and anything at all. */
    @Provide
    Arbitrary<String> values() {
        return Arbitraries.frequencyOf(
                Tuple.of(3, Arbitraries.strings().all().ofMaxLength(60)),
                Tuple.of(2, Arbitraries.of("true", "FALSE", "yes", "1", "", " ", "0", "10", "-1", "86400", "86401",
                        "10000000", "10000001", "2147483648", "+5", "\u0663", "1e3", "Acme API", "realm\"x")),
                Tuple.of(3, patternTexts().list().ofMaxSize(4).map(list -> String.join(",", list))),
                Tuple.of(2, addresses().list().ofMaxSize(4).map(list -> String.join(", ", list))),
                Tuple.of(3, ruleTexts()));
    }

    @Provide
    Arbitrary<String> ruleTexts() {
        Arbitrary<String> goodRule = Combinators.combine(
                Arbitraries.of("GET", "get", "POST,PUT,DELETE", "*", "GET,HEAD", "Patch", "OPTIONS,GET"),
                Arbitraries.of(" ", "  ", "\t"), validPatterns(), Arbitraries.of(" = ", "=", "  =\t"),
                Arbitraries.of("read", "write", "reports:read", "a.b_c-d:e", "a".repeat(64)))
                .as((m, space, pattern, eq, scope) -> m + space + pattern + eq + scope);
        Arbitrary<String> anyRule = Combinators.combine(
                Arbitraries.of("GET", "HEAD", "*,GET", "G3T", "", "GET,", ",", "\u00c9T\u00c9", "GET POST"),
                Arbitraries.of(" ", ""), patternTexts(), Arbitraries.of(" = ", "", " == ", "= ="),
                Arbitraries.of("read", "Read", "", "1x", "a".repeat(65), "x y", "r\u00e9ad"))
                .as((m, space, pattern, eq, scope) -> m + space + pattern + eq + scope);
        Arbitrary<String> rule = Arbitraries.frequencyOf(Tuple.of(3, goodRule), Tuple.of(1, anyRule));
        return Arbitraries.frequencyOf(
                Tuple.of(6, rule.list().ofMaxSize(3).map(list -> String.join("; ", list))),
                Tuple.of(2, rule.list().ofMinSize(1).ofMaxSize(2).map(list -> String.join(";", list) + ";")),
                Tuple.of(1, Arbitraries.strings().withChars("GETPOST */ab=read;,\t").ofMaxLength(40)),
                Tuple.of(1, Arbitraries.strings().all().ofMaxLength(40)));
    }

    @Provide
    Arbitrary<String> validPatterns() {
        Arbitrary<String> base = Arbitraries.of("a", "public", "api", "caf\u00e9", "x.y", "...").list().ofMaxSize(3)
                .map(list -> list.isEmpty() ? "" : "/" + String.join("/", list));
        return Combinators.combine(base, Arbitraries.of("", "/*", "/**"))
                .as((b, kind) -> (b + kind).isEmpty() ? "/" : b + kind);
    }

    @Provide
    Arbitrary<String> patternTexts() {
        return Arbitraries.oneOf(
                Arbitraries.of("/public/*", "/health", "/", "/**", "/*", "/a/**/b", "/a/", "a", "/a//b", "/a/./b",
                        "/a/../b", "/a;x", "/%2e", "/a\\b", "/a b", "/x*", "/\u0000", "/\u00e9t\u00e9", ""),
                Arbitraries.strings().withChars("/*.;%ab ").ofMaxLength(12),
                Arbitraries.strings().all().ofMaxLength(12).map(s -> "/" + s));
    }

    /**
     * Addresses and CIDRs, right and wrong. None starts with {@code .}: a text such as {@code .:} passes the
     * IPv6 shape check and {@code InetAddress.getByName} then asks DNS for it (reported with this test), which a
     * unit test must not depend on.
     */
    @Provide
    Arbitrary<String> addresses() {
        return Arbitraries.oneOf(
                Arbitraries.of("10.0.0.0/8", "::1", "192.0.2.7", "2001:db8::/32", "::ffff:10.0.0.1", "[::1]",
                        "256.1.1.1", "01.2.3.4", "1.2.3.4/33", "1.2.3.4/", "::1/129", "fe80::1%eth0", "localhost",
                        "example.com", "1.2.3", "::/0", "0.0.0.0/0", ":::", "1::2::3", "[::1]/64"),
                Arbitraries.strings().withChars("0123456789abcdefABCDEF:./[]").ofMinLength(1).ofMaxLength(20)
                        .filter(s -> !s.startsWith(".")));
    }

    @Provide
    Arbitrary<String> requestPaths() {
        return Arbitraries.oneOf(
                Arbitraries.of("/", "/a", "/ab", "/a/b", "/public", "/public/x", "/api/reports/2024", "/a/../..",
                        "/%2e%2e/x", "/a;x=1", "a"),
                Arbitraries.strings().all().ofMaxLength(20).map(s -> "/" + s));
    }
}
