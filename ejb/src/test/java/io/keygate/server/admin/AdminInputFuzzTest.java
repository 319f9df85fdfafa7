package io.keygate.server.admin;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.keygate.server.store.ApiToken;
import io.keygate.server.store.InstantMillisConverter;
import io.keygate.server.store.ScopeSetConverter;
import io.keygate.server.store.Tenant;
import io.keygate.server.store.TokenDetails;
import io.keygate.server.store.TokenLimits;
import jakarta.json.Json;
import jakarta.json.JsonArrayBuilder;
import jakarta.persistence.Column;
import jakarta.ws.rs.core.Response.Status;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.function.Supplier;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;
import net.jqwik.api.statistics.Statistics;

/**
 * Property-based fuzzing of the admin API's input: request bodies through {@link JsonInput} and the same
 * validation the resources run ({@link TokenResource#details}, and the steps of tenant creation and change,
 * rotation and admin-token creation), and the {@code limit} and {@code cursor} query parameters through
 * {@link Paging}. Arbitrary, malformed, deeply nested, 64 KiB and numerically extreme JSON, and arbitrary field
 * values, give either a valid value or an {@link ApiProblem} with status 400, never another exception (which
 * {@link ProblemMapper} would answer with a 500). A problem's message is printable ASCII, short, and never
 * quotes more than {@value #ECHO_LIMIT} consecutive characters of the input, so never a token. What validation accepts, the store can write:
 * expiry instants convert to epoch milliseconds and the scope set fits its column.
 */
class AdminInputFuzzTest {

    /**
     * The longest excerpt of the input a message may quote: less than any token (16 characters is also the piece
     * FuzzIT looks for in answers).
     */
    static final int ECHO_LIMIT = 15;
    static final int MAX_MESSAGE = 300;

    static final Set<String> TENANT_CREATE = Set.of("slug", "name", TenantResource.MAX_LIFETIME);
    static final Set<String> TENANT_PATCH = Set.of("name", "apiAccessEnabled", TenantResource.MAX_LIFETIME);
    static final Set<String> ROTATE = Set.of("graceSeconds", "expiresAt");
    static final Set<String> ADMIN_TOKEN = Set.of("name", "owner", "expiresAt");
    static final List<String> ALL_FIELDS = List.of("slug", "name", TenantResource.MAX_LIFETIME, "apiAccessEnabled",
            "graceSeconds", "expiresAt", "owner", "scopes", Validation.RATE_LIMIT, Validation.ALLOWED_ADDRESSES);

    /** Field names and the example date, which messages show whether or not the body has them too. */
    private static final List<String> VOCABULARY = List.of("maxTokenLifetimeSeconds", "allowedAddresses",
            "apiAccessEnabled", "graceSeconds", "windowSeconds", "rateLimit.windowSeconds", "rateLimit.requests",
            "2027-01-01T00:00:00Z");
    private static final int SCOPES_COLUMN = columnLength("scopes");
    private static final int NAME_COLUMN = columnLength("name");
    private static final int OWNER_COLUMN = columnLength("owner");
    private static final int TENANT_NAME_COLUMN = columnLength(Tenant.class, "name");
    private static final int ADDRESSES_COLUMN = columnLength("allowedAddresses");
    private static final InstantMillisConverter MILLIS = new InstantMillisConverter();

    @Property
    void parseWhenAnyBodyThenObjectOrBadRequest(@ForAll("bodies") String body, @ForAll("fieldSets") Set<String> fields) {
        JsonInput input = validOrBadRequest(body, () -> JsonInput.parse(body, fields));

        if (input != null) {
            for (String field : ALL_FIELDS) {
                validOrBadRequest(body, () -> input.string(field));
                validOrBadRequest(body, () -> input.bool(field));
                validOrBadRequest(body, () -> input.integer(field));
                validOrBadRequest(body, () -> input.stringList(field));
                validOrBadRequest(body, () -> input.instant(field));
            }
        }
        Statistics.label("parsed").collect(input != null).coverage(coverage -> {
            coverage.check(true).percentage(p -> p > 10);
            coverage.check(false).percentage(p -> p > 10);
        });
    }

    @Property(tries = 200)
    void parseWhenHugeOrDeeplyNestedBodyThenObjectOrBadRequest(@ForAll("hugeBodies") String body) {
        JsonInput input = validOrBadRequest(body, () -> JsonInput.parse(body, Set.copyOf(ALL_FIELDS)));

        if (input != null) {
            for (String field : ALL_FIELDS) {
                validOrBadRequest(body, () -> input.string(field));
                validOrBadRequest(body, () -> input.stringList(field));
            }
        }
    }

    /**
     * {@code POST /tenants/{slug}/tokens} and {@code PATCH .../tokens/{id}}: exactly what {@link TokenResource}
     * runs before the store.
     */
    @Property
    void tokenBodyWhenAnyThenStorableDetailsOrBadRequest(@ForAll("tokenBodies") String body) {
        Instant now = Instant.now();
        TokenDetails details = validOrBadRequest(body, () -> {
            JsonInput input = JsonInput.parse(body, TokenResource.CREATE_FIELDS);
            TokenDetails read = TokenResource.details(input, now);
            assertStorable(Validation.limits(input, TokenLimits.NONE));
            return read;
        });
        if (details != null) {
            assertTrue(details.name().length() <= NAME_COLUMN, "the name does not fit its column");
            assertTrue(details.owner() == null || details.owner().length() <= OWNER_COLUMN, "the owner does not fit");
            assertStorable(details.expiresAt());
            assertTrue(details.expiresAt() == null || details.expiresAt().isAfter(now));
            assertStorable(details.scopes());
        }
        validOrBadRequest(body, () -> {
            JsonInput input = JsonInput.parse(body, TokenResource.PATCH_FIELDS);
            input.string("name").map(n -> Validation.text("name", n));
            input.stringList("scopes").map(Validation::scopes).ifPresent(AdminInputFuzzTest::assertStorable);
            assertStorable(Validation.limits(input, TokenLimits.NONE));
            return input;
        });
        Statistics.label("details").collect(details != null).coverage(coverage -> {
            coverage.check(true).percentage(p -> p > 3);
            coverage.check(false).percentage(p -> p > 5);
        });
    }

    /** {@code POST /tenants} and {@code PATCH /tenants/{slug}}: the steps of {@link TenantResource}. */
    @Property
    void tenantBodyWhenAnyThenValidOrBadRequest(@ForAll("tenantBodies") String body) {
        Object created = validOrBadRequest(body, () -> {
            JsonInput input = JsonInput.parse(body, TENANT_CREATE);
            String slug = Validation.slug(input.requiredString("slug"));
            String name = Validation.text("name", input.requiredString("name"));
            assertTrue(name.length() <= TENANT_NAME_COLUMN, "the name does not fit its column");
            Duration lifetime = input.integer(TenantResource.MAX_LIFETIME).map(Validation::maxTokenLifetime)
                    .orElse(null);
            return List.of(slug, name, String.valueOf(lifetime));
        });
        validOrBadRequest(body, () -> {
            JsonInput input = JsonInput.parse(body, TENANT_PATCH);
            input.string("name").map(n -> Validation.text("name", n));
            input.bool("apiAccessEnabled");
            return input.integer(TenantResource.MAX_LIFETIME).map(Validation::maxTokenLifetime);
        });
        Statistics.label("created").collect(created != null).coverage(coverage -> {
            coverage.check(true).percentage(p -> p > 3);
            coverage.check(false).percentage(p -> p > 5);
        });
    }

    /** {@code POST .../tokens/{id}/rotate} and {@code POST /admin-tokens}, as their resources read them. */
    @Property
    void rotateAndAdminTokenBodyWhenAnyThenValidOrBadRequest(@ForAll("tokenBodies") String body) {
        Instant now = Instant.now();
        validOrBadRequest(body, () -> {
            JsonInput input = JsonInput.parse(body, ROTATE);
            long grace = input.integer("graceSeconds").orElse(0L);
            if (grace < 0 || grace > TokenResource.MAX_GRACE_SECONDS) {
                throw ApiProblem.badRequest("'graceSeconds' must be from 0 to " + TokenResource.MAX_GRACE_SECONDS);
            }
            Instant expiresAt = Validation.futureExpiry(input.instant("expiresAt").orElse(null), now);
            assertStorable(expiresAt);
            return grace;
        });
        validOrBadRequest(body, () -> {
            JsonInput input = JsonInput.parse(body, ADMIN_TOKEN);
            Validation.text("name", input.requiredString("name"));
            input.string("owner").map(o -> Validation.text("owner", o));
            Instant expiresAt = Validation.futureExpiry(input.instant("expiresAt").orElse(null), now);
            assertStorable(expiresAt);
            return expiresAt;
        });
    }

    @Property
    void pagingWhenAnyQueryThenPageOrBadRequest(@ForAll("queryValues") String limit,
            @ForAll("queryValues") String cursor) {
        Integer size = validOrBadRequest(limit, () -> Paging.limit(limit));
        if (size != null) {
            assertTrue(size >= 1 && size <= Paging.MAX_LIMIT, "limit " + size);
        }
        var position = validOrBadRequest(cursor, () -> Paging.cursor(cursor));
        if (position != null) {
            assertStorable(position.createdAt());
            assertEquals(position, io.keygate.server.store.Cursor.decode(position.encode()).orElseThrow(),
                    "a cursor survives its own round trip");
        }
    }

    /**
     * Runs {@code step}; its value, or {@code null} when it refused the input with a 400 whose message is safe.
     * Any other exception fails the property.
     */
    static <T> T validOrBadRequest(String input, Supplier<T> step) {
        try {
            return step.get();
        } catch (ApiProblem problem) {
            assertEquals(Status.BAD_REQUEST, problem.status(), problem.getMessage());
            assertSafeMessage(problem.getMessage(), input == null ? "" : input);
            return null;
        }
    }

    static void assertSafeMessage(String message, String input) {
        assertNotNull(message);
        assertTrue(message.length() <= MAX_MESSAGE, () -> "message of " + message.length() + " characters");
        assertTrue(message.chars().allMatch(c -> c >= 0x20 && c <= 0x7e), () -> "not printable ASCII: " + message);
        Set<String> pieces = pieces(input);
        for (int i = 0; i + ECHO_LIMIT < message.length(); i++) {
            String excerpt = message.substring(i, i + ECHO_LIMIT + 1);
            assertFalse(pieces.contains(excerpt) && VOCABULARY.stream().noneMatch(word -> word.contains(excerpt)),
                    () -> "echoes more than " + ECHO_LIMIT + " characters of the input: " + message);
        }
    }

    /** The input's pieces of {@code ECHO_LIMIT + 1} characters; the last input's are kept (properties run one by one). */
    private static Set<String> pieces(String input) {
        if (input != lastInput) {
            Set<String> pieces = new java.util.HashSet<>();
            for (int i = 0; i + ECHO_LIMIT < input.length(); i++) {
                pieces.add(input.substring(i, i + ECHO_LIMIT + 1));
            }
            lastPieces = pieces;
            lastInput = input;
        }
        return lastPieces;
    }

    private static String lastInput;
    private static Set<String> lastPieces = Set.of();

    private static void assertStorable(Set<String> scopes) {
        assertTrue(new ScopeSetConverter().convertToDatabaseColumn(scopes).length() <= SCOPES_COLUMN,
                "the scopes do not fit the " + SCOPES_COLUMN + "-character column");
    }

    /** What {@code ApiToken.setLimits} writes: the addresses joined with commas, in their column. */
    private static void assertStorable(TokenLimits limits) {
        if (limits != null && limits.allowedAddresses() != null) {
            assertTrue(String.join(",", limits.allowedAddresses()).length() <= ADDRESSES_COLUMN,
                    "the addresses do not fit the " + ADDRESSES_COLUMN + "-character column");
        }
    }

    /** What {@code InstantMillisConverter} does when the store writes the instant. */
    private static void assertStorable(Instant instant) {
        try {
            MILLIS.convertToDatabaseColumn(instant);
        } catch (ArithmeticException e) {
            throw new AssertionError("validation accepted " + instant + ", which the store cannot write", e);
        }
    }

    private static int columnLength(String field) {
        return columnLength(ApiToken.class, field);
    }

    /** The declared length of an entity's column: what H2, PostgreSQL and MariaDB hold at most. */
    private static int columnLength(Class<?> entity, String field) {
        try {
            return entity.getDeclaredField(field).getAnnotation(Column.class).length();
        } catch (NoSuchFieldException e) {
            throw new IllegalStateException(e);
        }
    }

    // ---- generators ----

    @Provide
    Arbitrary<Set<String>> fieldSets() {
        return Arbitraries.of(TENANT_CREATE, TENANT_PATCH, ROTATE, ADMIN_TOKEN, TokenResource.CREATE_FIELDS,
                TokenResource.PATCH_FIELDS);
    }

    @Provide
    Arbitrary<String> bodies() {
        return Arbitraries.frequencyOf(
                Tuple.of(3, objects(ALL_FIELDS)),
                Tuple.of(2, mutated(objects(ALL_FIELDS))),
                Tuple.of(2, Arbitraries.strings().all().ofMaxLength(200)),
                Tuple.of(2, Arbitraries.strings().withChars("{}[]\":,0123456789.eE+-tfnrul \\/ab\u00e9").ofMaxLength(80)),
                Tuple.of(1, Arbitraries.of("", " ", "null", "[]", "\"x\"", "1", "true", "{}", "{} x", "{}{}", "\ufeff{}",
                        "{\"name\":\"a\",\"name\":\"b\"}", "{\"name\":\"\\u0000\"}", "{\"name\":\"\\ud800\"}",
                        "{\"name\" \"a\"}", "{'name':'a'}", "{\"name\":\"a\",}", "{\"graceSeconds\":1E+2147483648}",
                        "{\"graceSeconds\":" + "9".repeat(1101) + "}", "{\"graceSeconds\":-0}",
                        "{\"graceSeconds\":1e999999999}", "{\"graceSeconds\":1e-999999999}")),
                Tuple.of(1, nested()));
    }

    /** Bodies around the 64 KiB limit and nesting far beyond any parser's depth limit. */
    @Provide
    Arbitrary<String> hugeBodies() {
        int limit = JsonInput.MAX_BODY_CHARS;
        Arbitrary<Integer> around = Arbitraries.integers().between(limit - 40, limit + 40);
        return Arbitraries.oneOf(
                around.map(n -> "{\"name\":\"" + "a".repeat(Math.max(0, n - 11)) + "\"}"),
                around.map(n -> "[".repeat(n / 2) + "]".repeat(n / 2)),
                around.map(n -> "{\"name\":".repeat(n / 9) + "1" + "}".repeat(n / 9)),
                Arbitraries.integers().between(500, 5000).map(d -> "{\"scopes\":" + "[".repeat(d) + "]".repeat(d) + "}"),
                Arbitraries.integers().between(1000, 30000).map(d -> "[".repeat(d)),
                around.map(n -> "{\"graceSeconds\":" + "7".repeat(Math.max(1, n - 17)) + "}"),
                around.map(n -> "{\"scopes\":[" + "\"read\",".repeat(n / 7) + "\"read\"]}"),
                Arbitraries.randomValue(random -> "{\"name\":\"" + randomText(random, limit - 20) + "\"}"),
                Arbitraries.randomValue(random -> randomText(random, limit + random.nextInt(100) - 50)));
    }

    @Provide
    Arbitrary<String> nested() {
        return Arbitraries.integers().between(1, 3000).flatMap(depth -> Arbitraries.of(
                "[".repeat(depth) + "]".repeat(depth),
                "{\"name\":".repeat(depth) + "\"x\"" + "}".repeat(depth),
                "{\"scopes\":" + "[".repeat(depth) + "\"read\"" + "]".repeat(depth) + "}",
                "[".repeat(depth)));
    }

    @Provide
    Arbitrary<String> tokenBodies() {
        return Arbitraries.frequencyOf(
                Tuple.of(8, plausibleTokens()),
                Tuple.of(6, objects(List.of("name", "scopes", "owner", "expiresAt", "graceSeconds",
                        Validation.RATE_LIMIT, Validation.ALLOWED_ADDRESSES))),
                Tuple.of(2, mutated(objects(List.of("name", "scopes", "owner", "expiresAt")))),
                Tuple.of(1, objects(ALL_FIELDS)),
                Tuple.of(1, bodies()));
    }

    @Provide
    Arbitrary<String> tenantBodies() {
        return Arbitraries.frequencyOf(
                Tuple.of(4, plausibleTenants()),
                Tuple.of(6, objects(List.of("slug", "name", TenantResource.MAX_LIFETIME, "apiAccessEnabled"))),
                Tuple.of(2, mutated(objects(List.of("slug", "name", TenantResource.MAX_LIFETIME)))),
                Tuple.of(1, bodies()));
    }

    @Provide
    Arbitrary<String> queryValues() {
        Arbitrary<String> cursors = Combinators.combine(Arbitraries.longs(), Arbitraries.strings()
                .withChars("abcXYZ019_-.~").ofMinLength(0).ofMaxLength(70))
                .as((millis, key) -> java.util.Base64.getUrlEncoder().withoutPadding()
                        .encodeToString((millis + "." + key).getBytes(java.nio.charset.StandardCharsets.US_ASCII)));
        return Arbitraries.frequencyOf(
                Tuple.of(1, Arbitraries.just(null)),
                Tuple.of(2, Arbitraries.of("", "0", "1", "1000", "1001", "-1", "+5", "007", "1e3", " 5", "2147483648",
                        "\u0663", "null", "9".repeat(40))),
                Tuple.of(2, Arbitraries.integers().map(String::valueOf)),
                Tuple.of(3, cursors),
                Tuple.of(1, cursors.map(c -> c + "=")),
                Tuple.of(2, Arbitraries.strings().all().ofMaxLength(100)));
    }

    /** Token bodies that are mostly right: each field from values a client would send, and their edges. */
    private Arbitrary<String> plausibleTokens() {
        Arbitrary<String> name = Arbitraries.of("CI", "Website Integration", "x".repeat(100), "x".repeat(101),
                "\ud83d\ude00".repeat(50), "\ud83d\ude00".repeat(51), "caf\u00e9", " ");
        Arbitrary<String> scopes = Arbitraries.oneOf(
                Arbitraries.of("read", "write", "admin", "reports:read", "a".repeat(64)).list().ofMinSize(1)
                        .ofMaxSize(4).map(AdminInputFuzzTest::array),
                Arbitraries.integers().between(10, 50).map(n -> {
                    List<String> many = new java.util.ArrayList<>();
                    for (int i = 0; i < n; i++) {
                        many.add(String.format("s%02d", i) + "x".repeat(61));
                    }
                    return array(many);
                }));
        Arbitrary<String> optional = Arbitraries.of("", ",\"owner\":\"alice\"", ",\"expiresAt\":\"2099-01-01T00:00:00Z\"",
                ",\"expiresAt\":\"9999-12-31T23:59:59Z\"", ",\"expiresAt\":\"+10000-01-01T00:00:00Z\"",
                ",\"expiresAt\":\"+999999999-12-31T23:59:59Z\"", ",\"expiresAt\":\"2001-01-01T00:00:00Z\"",
                ",\"rateLimit\":{\"requests\":100,\"windowSeconds\":60}", ",\"allowedAddresses\":[\"10.0.0.0/8\"]",
                ",\"allowedAddresses\":" + array(java.util.Collections.nCopies(50,
                        "ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff/128")));
        return Combinators.combine(name, scopes, optional).as((n, sc, more) ->
                "{\"name\":" + Json.createValue(n) + ",\"scopes\":" + sc + more + "}");
    }

    private Arbitrary<String> plausibleTenants() {
        Arbitrary<String> slugs = Arbitraries.frequencyOf(
                Tuple.of(3, Arbitraries.strings().withChars("abcz09-").ofMinLength(1).ofMaxLength(63).map(s -> "a" + s)),
                Tuple.of(1, Arbitraries.of("acme", "a", "a".repeat(63), "a".repeat(64), "-a", "Acme", "a_b")));
        return Combinators.combine(slugs,
                Arbitraries.of("Acme Inc", "x".repeat(100), "\ud83d\ude00".repeat(51), ""),
                Arbitraries.of("", ",\"maxTokenLifetimeSeconds\":3600", ",\"maxTokenLifetimeSeconds\":316224001",
                        ",\"apiAccessEnabled\":false"))
                .as((slug, name, more) -> "{\"slug\":\"" + slug + "\",\"name\":" + Json.createValue(name) + more + "}");
    }

    private static String array(List<String> items) {
        JsonArrayBuilder array = Json.createArrayBuilder();
        items.forEach(array::add);
        return array.build().toString();
    }

    /**
     * JSON objects over {@code keys} (plus unknown ones), each value plausible for some field or anything at all,
     * written by JSON-P so that they are well formed: the fuzzing is in the values.
     */
    private Arbitrary<String> objects(List<String> keys) {
        Arbitrary<String> key = Arbitraries.frequencyOf(Tuple.of(12, Arbitraries.of(keys)),
                Tuple.of(1, Arbitraries.strings().all().ofMaxLength(60)),
                Tuple.of(1, Arbitraries.of("expires_at", "Name", "", "kg_1234567890abcdefghijABCDEFGHIJ123456")));
        Arbitrary<String> member = Combinators.combine(key, values())
                .as((k, v) -> Json.createValue(k).toString() + ":" + v);
        return member.list().ofMaxSize(6).map(members -> "{" + String.join(",", members) + "}");
    }

    private Arbitrary<String> values() {
        return Arbitraries.frequencyOf(
                Tuple.of(4, texts().map(t -> Json.createValue(t).toString())),
                Tuple.of(3, instants().map(t -> Json.createValue(t).toString())),
                Tuple.of(3, scopeLists()),
                Tuple.of(3, numbers()),
                Tuple.of(1, addressLists()),
                Tuple.of(1, rateLimits()),
                Tuple.of(1, Arbitraries.of("true", "false", "null", "{}", "[]", "[1]", "{\"a\":1}")));
    }

    private Arbitrary<String> texts() {
        return Arbitraries.frequencyOf(
                Tuple.of(3, Arbitraries.strings().all().ofMaxLength(120)),
                Tuple.of(2, Arbitraries.strings().withChars("abcz0-9 ").ofMinLength(1).ofMaxLength(70)),
                Tuple.of(1, Arbitraries.of("", " ", "\t", "acme", "Acme Inc", "a\u0000b", "\u202e", "caf\u00e9",
                        "\ud83d\ude00".repeat(100), "\ud83d\ude00".repeat(101), "x".repeat(100), "x".repeat(101),
                        "-acme", "a".repeat(63), "a".repeat(64), "ACME", "\ud800")));
    }

    private Arbitrary<String> instants() {
        return Arbitraries.frequencyOf(
                Tuple.of(3, Arbitraries.of("2099-01-01T00:00:00Z", "2027-01-01T00:00:00+01:00",
                        "2099-12-31T23:59:59.999999999Z", "2000-01-01T00:00:00Z", "2099-01-01", "2099-01-01T00:00:00",
                        "2099-01-01 00:00:00Z", "2099-02-30T00:00:00Z", "2099-01-01T24:00:00Z",
                        "2099-01-01T00:00:00+18:00", "2099-01-01T00:00:00+19:00", "2099-01-01T00:00:60Z",
                        "9999-12-31T23:59:59Z", "+10000-01-01T00:00:00Z", "+999999999-12-31T23:59:59Z",
                        "-999999999-01-01T00:00:00Z", "+292278994-08-17T07:12:55.807Z", "1970-01-01T00:00:00Z")),
                Tuple.of(2, Combinators.combine(Arbitraries.integers().between(-1_000_000_000, 1_000_000_000),
                        Arbitraries.integers().between(1, 12), Arbitraries.integers().between(1, 28),
                        Arbitraries.of("Z", "+00:00", "-12:00", "+14:00"))
                        .as((year, month, day, offset) -> String.format("%s%04d-%02d-%02dT12:00:00%s",
                                year > 9999 ? "+" : "", year, month, day, offset))),
                Tuple.of(1, Arbitraries.strings().withChars("0123456789-+:.TZ").ofMaxLength(40)));
    }

    private Arbitrary<String> scopeLists() {
        Arbitrary<String> scope = Arbitraries.frequencyOf(
                Tuple.of(4, Arbitraries.of("read", "write", "admin", "reports:read", "introspect")),
                Tuple.of(2, Arbitraries.strings().withChars("abcdefghijklmnopqrstuvwxyz0123456789_.:-").ofMinLength(1)
                        .ofMaxLength(64).filter(s -> Character.isLetter(s.charAt(0)))),
                Tuple.of(1, Arbitraries.strings().all().ofMaxLength(80)));
        return Arbitraries.oneOf(scope.list().ofMaxSize(5), scope.list().ofMinSize(45).ofMaxSize(55))
                .map(list -> {
                    JsonArrayBuilder array = Json.createArrayBuilder();
                    list.forEach(array::add);
                    return array.build().toString();
                });
    }

    private Arbitrary<String> addressLists() {
        Arbitrary<String> address = Arbitraries.frequencyOf(
                Tuple.of(3, Arbitraries.of("203.0.113.0/24", "2001:db8::1", "::1", "10.0.0.0/8", " 192.0.2.7 ",
                        "ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff/128", "::ffff:255.255.255.255/128", "256.0.0.1",
                        "1.2.3.4/33", "fe80::1%eth0", "localhost", "", "[::1]")),
                Tuple.of(1, Arbitraries.strings().withChars("0123456789abcdef:/[]").ofMaxLength(45)),
                Tuple.of(1, Arbitraries.strings().all().ofMaxLength(100)));
        return Arbitraries.oneOf(address.list().ofMaxSize(4), address.list().ofMinSize(45).ofMaxSize(51))
                .map(list -> {
                    JsonArrayBuilder array = Json.createArrayBuilder();
                    list.forEach(array::add);
                    return array.build().toString();
                });
    }

    private Arbitrary<String> rateLimits() {
        Arbitrary<String> member = Combinators.combine(Arbitraries.of("requests", "windowSeconds", "x", "Requests"),
                numbers()).as((k, v) -> "\"" + k + "\":" + v);
        return Arbitraries.oneOf(member.list().ofMaxSize(3).map(m -> "{" + String.join(",", m) + "}"),
                Arbitraries.of("null", "{}", "[]", "5", "{\"requests\":1,\"windowSeconds\":1}"));
    }

    private Arbitrary<String> numbers() {
        return Arbitraries.frequencyOf(
                Tuple.of(3, Arbitraries.longs().map(String::valueOf)),
                Tuple.of(2, Arbitraries.of("0", "-0", "3599", "3600", "316224000", "316224001", "2592000", "2592001",
                        "-1", "1.0", "1.5", "1e3", "1E+2", "9223372036854775807", "9223372036854775808",
                        "-9223372036854775809", "1e400", "1E-400", "0.0000001", "1e999999999", "1E+2147483648")),
                Tuple.of(1, Arbitraries.integers().between(1, 3000).map("9"::repeat)));
    }

    /** One to three random edits (insert, delete, replace a character) of a well-formed body. */
    private Arbitrary<String> mutated(Arbitrary<String> bodies) {
        return Combinators.combine(bodies, Arbitraries.longs()).as((body, seed) -> {
            Random random = new Random(seed);
            StringBuilder text = new StringBuilder(body);
            for (int edits = 1 + random.nextInt(3); edits > 0; edits--) {
                int at = random.nextInt(text.length() + 1);
                String alphabet = "{}[]\":,\\ 0e-\u0000\ud800x";
                char c = alphabet.charAt(random.nextInt(alphabet.length()));
                switch (random.nextInt(3)) {
                    case 0 -> text.insert(at, c);
                    case 1 -> {
                        if (at < text.length()) {
                            text.deleteCharAt(at);
                        }
                    }
                    default -> {
                        if (at < text.length()) {
                            text.setCharAt(at, c);
                        }
                    }
                }
            }
            return text.toString();
        });
    }

    private static String randomText(Random random, int length) {
        StringBuilder text = new StringBuilder(Math.max(0, length));
        for (int i = 0; i < length; i++) {
            text.append((char) (random.nextBoolean() ? 0x20 + random.nextInt(0x5f) : random.nextInt(0x10000)));
        }
        return text.toString();
    }
}
