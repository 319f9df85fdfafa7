package io.keygate.it;

import io.keygate.token.TokenFormat;
import jakarta.json.Json;
import jakarta.json.JsonArrayBuilder;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The requests {@link FuzzIT} fires, each built from its own {@link Random} (seed and index), so that a failure
 * names a request that can be built again. First a fixed {@link #corpus} of edge cases, then six families drawn
 * at random: the sample application with every kind of {@code Authorization} header, admin API bodies, admin
 * API listing parameters, the admin API with a fuzzed {@code Authorization}, the token endpoint's form and HTTP
 * Basic, and byte-level requests that only a socket can send. Every token a request carries, in whatever form,
 * is listed in its {@code secrets}.
 */
final class FuzzITRequests {

    static final String B64 = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~+/";
    static final String BASE62 = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
    static final int HUGE = 64 * 1024;
    static final String API = "/keygate/api/v1";
    /** The fuzzed protected application: the sample deployed as {@code fuzz.war} ({@link FuzzIT#war()}). */
    static final String APP = "/fuzz";

    /**
     * One request: what is sent, how, and which secrets it carries. {@code forged}: it goes to a protected path
     * (of the sample or the admin API) with an {@code Authorization} that holds a mutated, unknown or
     * bad-checksum token and not the real one, so nothing but a refusal may answer it.
     */
    record FuzzRequest(int index, String kind, String method, String target, List<String[]> headers, byte[] body,
            boolean raw, Set<String> secrets, boolean forged) {

        /** A one-line description for a report: printable, each part cut short. */
        String summary() {
            StringBuilder text = new StringBuilder("#").append(index).append(' ').append(kind).append(": ")
                    .append(method).append(' ').append(printable(target, 160));
            for (String[] header : headers) {
                text.append(" | ").append(header[0]).append(": ").append(printable(header[1], 100));
            }
            text.append(" | body ").append(body.length).append(" bytes: ")
                    .append(printable(new String(body, StandardCharsets.ISO_8859_1), 160));
            return text.append(raw ? " (socket)" : "").append(forged ? " (forged token)" : "").toString();
        }
    }

    /**
     * Whether {@code target} needs a token: the admin API, and every path of the sample but its public status,
     * including the tricks that normalise into {@code /api} ({@code /public/../api}, {@code //api},
     * {@code ;params}). Targets with a broken percent-escape ({@code %zz}, a lone {@code %}) are left out: Payara
     * fails to decode them before any application sees the request (it answers an empty 200), so no filter can
     * answer them.
     */
    static boolean isProtected(String target) {
        return (target.startsWith(API + "/") || target.startsWith(APP + "/")
                && !target.startsWith(APP + "/public/status")) && !BROKEN_ESCAPE.matcher(target).find();
    }

    /** A {@code %} not followed by two hexadecimal digits. */
    private static final Pattern BROKEN_ESCAPE = Pattern.compile("%(?![0-9A-Fa-f]{2})");

    /** What the server holds for the test: tenants, tokens and a cursor it issued. */
    record Fixture(String adminToken, String home, String secret, String secretId, String patchTenant,
            String patchTokenId, String rotateTokenId, String cursor) {
    }

    private final Fixture fixture;

    FuzzITRequests(Fixture fixture) {
        this.fixture = fixture;
    }

    FuzzRequest build(int index, long seed) {
        Random r = new Random(seed * 1_000_003L + index);
        Draft draft = new Draft(index, fixture.secret());
        if (index < CORPUS_SIZE) {
            corpus(index, r, draft);
            return draft.done();
        }
        int family = r.nextInt(100);
        if (family < 32) {
            sample(r, draft);
        } else if (family < 47) {
            adminBody(r, draft);
        } else if (family < 55) {
            adminQuery(r, draft);
        } else if (family < 63) {
            adminAuthorization(r, draft);
        } else if (family < 85) {
            tokenEndpoint(r, draft);
        } else {
            socketOnly(r, draft);
        }
        return draft.done();
    }

    /** How many requests of every run come from {@link #corpus}. */
    static final int CORPUS_SIZE = 32;

    /**
     * The first requests of every run, whatever the seed: where validation and storage must agree (the longest
     * names, scope lists and address lists the API accepts, extreme instants), the parser's limits, charsets, and
     * tokens in the places an error message might quote.
     */
    private void corpus(int index, Random r, Draft draft) {
        draft.kind = "corpus";
        draft.method = "POST";
        draft.bearer(fixture.adminToken());
        draft.header("Content-Type", "application/json");
        String tokens = API + "/tenants/" + fixture.patchTenant() + "/tokens";
        String patchToken = tokens + "/" + fixture.patchTokenId();
        String rotate = tokens + "/" + fixture.rotateTokenId() + "/rotate";
        String tenant = API + "/tenants/" + fixture.patchTenant();
        String emoji = "\ud83d\ude00".repeat(100);
        String real = fixture.secret();
        List<String> longScopes = new ArrayList<>();
        List<String> longAddresses = new ArrayList<>();
        for (int i = 0; i < 50; i++) {
            longScopes.add(String.format("s%02d", i) + "x".repeat(61));
            longAddresses.add(String.format("ffff:ffff:ffff:ffff:ffff:ffff:ffff:ff%02x/128", i));
        }
        String body = switch (index) {
            case 0 -> "{\"name\":\"long scopes\",\"scopes\":" + array(longScopes) + "}";
            case 1 -> "{\"name\":\"" + emoji + "\",\"scopes\":[\"read\"]}";
            case 2 -> "{\"name\":\"emoji owner\",\"owner\":\"" + emoji + "\",\"scopes\":[\"read\"]}";
            case 3 -> "{\"name\":\"long addresses\",\"scopes\":[\"read\"],\"allowedAddresses\":"
                    + array(longAddresses) + "}";
            case 4 -> "{\"name\":\"far\",\"scopes\":[\"read\"],\"expiresAt\":\"+999999999-12-31T23:59:59Z\"}";
            case 5 -> "{\"name\":\"year 10000\",\"scopes\":[\"read\"],\"expiresAt\":\"+10000-01-01T00:00:00Z\"}";
            case 6 -> "{\"name\":\"n\",\"scopes\":[\"read\"],\"" + real + "\":1}";
            case 7 -> "{\"name\":\"n\",\"scopes\":[\"read\",\"" + real + "\"]}";
            case 8 -> "{\"name\":\"n\",\"scopes\":[\"read\"],\"allowedAddresses\":[\"" + real + "\"]}";
            case 9 -> "{\"name\":\"n\",\"scopes\":[\"read\"],\"rateLimit\":{\"" + real + "\":1}}";
            case 10 -> "{\"name\":\"n\",\"scopes\":[\"read\"],\"expiresAt\":\"" + real + "\"}";
            case 11 -> "[".repeat(5000) + "]".repeat(5000);
            case 12 -> "{\"name\":\"n\",\"scopes\":[\"read\"],\"owner\":" + "1".repeat(1200) + "}";
            case 13 -> "{\"name\":\"n\",\"scopes\":[\"read\"],\"owner\":1E+2147483648}";
            case 14, 15, 16 -> "{\"name\":\"charset\",\"scopes\":[\"read\"]}";
            default -> null;
        };
        if (body != null) {
            draft.target = tokens;
            if (index == 6 || index == 7 || index == 8 || index == 9 || index == 10) {
                draft.secrets.add(real);
            }
            if (index >= 14) {
                draft.headers.removeIf(h -> h[0].equals("Content-Type"));
                draft.header("Content-Type", List.of("application/json; charset=bogus", "application/json; charset=",
                        "application/json; charset=\"x y\"").get(index - 14));
            }
            draft.body = body.getBytes(StandardCharsets.UTF_8);
            return;
        }
        switch (index) {
            case 17 -> draft.to("PATCH", patchToken, "{\"scopes\":" + array(longScopes) + "}");
            case 18 -> draft.to("PATCH", patchToken, "{\"allowedAddresses\":" + array(longAddresses) + "}");
            case 19 -> draft.to("PATCH", tenant, "{\"name\":\"" + emoji + "\"}");
            case 20 -> draft.to("POST", API + "/tenants", "{\"slug\":\"it-fuzz-" + Long.toString(r.nextLong()
                    & Long.MAX_VALUE, 36) + "\",\"name\":\"" + emoji + "\"}");
            case 21 -> draft.to("POST", rotate, "{\"graceSeconds\":0,\"expiresAt\":\"+999999999-12-31T23:59:59Z\"}");
            case 22 -> draft.to("POST", API + "/admin-tokens", "{\"name\":\"far\",\"expiresAt\":"
                    + "\"-999999999-01-01T00:00:00Z\"}");
            case 23 -> draft.to("POST", API + "/admin-tokens", "{\"name\":\"far\",\"expiresAt\":"
                    + "\"+999999999-12-31T23:59:59Z\"}");
            case 24 -> draft.to("PATCH", tenant, "{\"maxTokenLifetimeSeconds\":1E+2147483648}");
            case 25 -> draft.to("PATCH", tenant, "{\"" + real + "\":true}");
            case 26 -> draft.to("GET", API + "/tenants?limit=1000&cursor=" + Base64.getUrlEncoder().withoutPadding()
                    .encodeToString("9223372036854775807.x".getBytes(StandardCharsets.US_ASCII)), "");
            case 27 -> draft.to("GET", API + "/audit?limit=1&cursor=" + fixture.cursor(), "");
            case 28, 29 -> {
                draft.to("POST", "/keygate/oauth2/token", "grant_type=client_credentials&client_id="
                        + fixture.secretId() + "&client_secret=" + real);
                draft.headers.clear();
                draft.header("Content-Type", index == 28 ? "application/x-www-form-urlencoded; charset=bogus"
                        : "application/x-www-form-urlencoded; charset=");
                draft.secrets.add(real);
            }
            case 30 -> {
                draft.to("GET", APP + "/api/whoami", "");
                draft.headers.clear();
                draft.header("Authorization", "Bearer " + randomString(r, HUGE, B64));
            }
            default -> {
                draft.to("GET", APP + "/api/whoami", "");
                draft.headers.clear();
                draft.header("Authorization", "Bearer " + randomString(r, 8 * 1024, B64));
            }
        }
    }

    private static String array(List<String> items) {
        JsonArrayBuilder array = Json.createArrayBuilder();
        items.forEach(array::add);
        return array.build().toString();
    }

    // ---- families ----

    /** {@code /fuzz/api/whoami} and {@code /fuzz/public/status}, with and without path tricks. */
    private void sample(Random r, Draft draft) {
        draft.kind = "sample";
        String[] paths = {APP + "/api/whoami", APP + "/api/whoami", APP + "/api/whoami", APP + "/public/status",
            APP + "/public/status", APP + "/public/../api/whoami", APP + "/public/%2e%2e/api/whoami",
            APP + "//api/whoami", APP + "/api/whoami;x=1", APP + "/public;x=1/../api/whoami",
            APP + "/api/whoami/", APP + "/public/status?x=" + URLEncoder.encode(text(r, 30), StandardCharsets.UTF_8),
            APP + "/api/whoami?access_token=" + fixture.secret(), APP + "/api/%zz", APP + "/public/%",
            APP + "/api/whoami#frag"};
        draft.target = pick(r, paths);
        if (draft.target.contains("access_token")) {
            draft.secrets.add(fixture.secret());
        }
        draft.method = pick(r, "GET", "GET", "GET", "GET", "HEAD", "OPTIONS", "POST", "DELETE", "PROPFIND", "get");
        authorization(r, draft);
        if (draft.method.equals("POST") && r.nextBoolean()) {
            draft.header("Content-Type", "application/json");
            draft.body = jsonBody(r, draft).getBytes(StandardCharsets.UTF_8);
        }
    }

    /** The admin API's request bodies, sent with the bootstrap admin token so that they reach validation. */
    private void adminBody(Random r, Draft draft) {
        draft.kind = "admin-body";
        int endpoint = r.nextInt(100);
        if (endpoint < 40) {
            draft.method = "POST";
            draft.target = API + "/tenants/" + fixture.patchTenant() + "/tokens";
        } else if (endpoint < 58) {
            draft.method = "PATCH";
            draft.target = API + "/tenants/" + fixture.patchTenant();
        } else if (endpoint < 72) {
            draft.method = "POST";
            draft.target = API + "/tenants";
        } else if (endpoint < 85) {
            draft.method = "PATCH";
            draft.target = API + "/tenants/" + fixture.patchTenant() + "/tokens/" + fixture.patchTokenId();
        } else if (endpoint < 95) {
            draft.method = "POST";
            draft.target = API + "/tenants/" + fixture.patchTenant() + "/tokens/" + fixture.rotateTokenId() + "/rotate";
        } else {
            draft.method = "POST";
            draft.target = API + "/admin-tokens";
        }
        draft.bearer(fixture.adminToken());
        draft.header("Content-Type", pick(r, "application/json", "application/json", "application/json",
                "application/json", "application/json; charset=UTF-8", "text/plain", "application/json; charset=bogus",
                "application/json; charset=UTF-16", "application/x-www-form-urlencoded", "*/*", ""));
        if (r.nextInt(20) == 0) {
            draft.body = invalidUtf8(r);
        } else {
            String body = jsonBody(r, draft);
            boolean utf16 = draft.headerValue("Content-Type").endsWith("UTF-16") && r.nextBoolean();
            draft.body = body.getBytes(utf16 ? StandardCharsets.UTF_16 : StandardCharsets.UTF_8);
        }
    }

    /** {@code ?limit=} and {@code ?cursor=} of every listing. */
    private void adminQuery(Random r, Draft draft) {
        draft.kind = "admin-query";
        draft.method = "GET";
        String listing = pick(r, "/tenants", "/tenants/" + fixture.patchTenant() + "/tokens", "/admin-tokens",
                "/tenants/" + fixture.home() + "/tokens/" + fixture.secretId() + "/access-tokens",
                "/tenants/" + fixture.home() + "/tokens", "/tenants/" + fixture.patchTenant() + "/audit", "/audit");
        List<String> parameters = new ArrayList<>();
        for (int i = r.nextInt(4); i > 0; i--) {
            String name = pick(r, "limit", "limit", "cursor", "cursor", "LIMIT", "x", "");
            parameters.add(name + (r.nextInt(10) == 0 ? "" : "=" + queryValue(r, draft)));
        }
        draft.target = API + listing + (parameters.isEmpty() ? "" : "?" + String.join("&", parameters));
        draft.bearer(fixture.adminToken());
        if (draft.target.chars().anyMatch(c -> c <= 0x20 || c >= 0x7f)) {
            draft.raw = true;
        }
    }

    /** Admin endpoints, with the {@code Authorization} fuzzed instead of the body. */
    private void adminAuthorization(Random r, Draft draft) {
        draft.kind = "admin-auth";
        draft.method = pick(r, "GET", "GET", "POST", "PATCH", "DELETE");
        draft.target = API + pick(r, "/tenants", "/tenants/" + fixture.home(), "/tenants/" + fixture.home() + "/tokens",
                "/admin-tokens", "/tenants/" + fixture.home() + "/tokens/" + fixture.secretId());
        if (draft.method.equals("DELETE")) {
            draft.target = API + "/tenants/" + fixture.patchTenant() + "/tokens/no-such-token";
        }
        authorization(r, draft);
        if (!draft.method.equals("GET") && !draft.method.equals("DELETE")) {
            draft.header("Content-Type", "application/json");
            draft.body = jsonBody(r, draft).getBytes(StandardCharsets.UTF_8);
        }
    }

    /** {@code POST /keygate/oauth2/token}: the form, HTTP Basic, secrets in the URL, broken encodings. */
    private void tokenEndpoint(Random r, Draft draft) {
        draft.kind = "oauth2-token";
        draft.method = r.nextInt(15) == 0 ? pick(r, "GET", "PUT") : "POST";
        draft.target = "/keygate/oauth2/token";
        List<String> form = new ArrayList<>();
        String grant = pick(r, "client_credentials", "client_credentials", "client_credentials", "password",
                "refresh_token", "", "CLIENT_CREDENTIALS", text(r, 20));
        form.add("grant_type=" + encode(grant));
        if (r.nextInt(10) == 0) {
            form.add("grant_type=" + encode(grant));
        }
        String secret = secretForm(r, draft);
        String id = pick(r, fixture.secretId(), fixture.secretId(), fixture.secretId(), "", text(r, 40),
                fixture.secretId() + "x", fixture.secret());
        if (id.equals(fixture.secret())) {
            draft.secrets.add(fixture.secret());
        }
        int authentication = r.nextInt(10);
        if (authentication < 6) {
            form.add("client_id=" + encode(id));
            form.add("client_secret=" + encode(secret));
        } else if (authentication < 8) {
            draft.header("Authorization", "Basic " + basic(r, id, secret));
        } else if (authentication < 9) {
            draft.header("Authorization", "Basic " + basic(r, id, secret));
            form.add("client_secret=" + encode(secret));
        }
        if (grant.equals("password") || r.nextInt(8) == 0) {
            form.add("username=" + encode(pick(r, "fuzz-owner", fixture.secretId(), "", text(r, 30))));
            form.add("password=" + encode(secret));
        }
        if (r.nextInt(3) == 0) {
            form.add("scope=" + encode(pick(r, "read", "write", "read write", "admin", "  ", "read  read",
                    text(r, 80), "x".repeat(HUGE))));
        }
        for (int i = r.nextInt(3); i > 0; i--) {
            form.add(pick(r, "%zz=1", "%=%", "&&", "=", "a=b=c", "client_id", "+=+", "%C0%AF=x", "x=%u1234",
                    encode(text(r, 20)) + "=" + encode(text(r, 20))));
        }
        java.util.Collections.shuffle(form, r);
        String body = String.join("&", form);
        if (r.nextInt(12) == 0) {
            draft.target += "?" + pick(r, "client_secret=", "password=", "token=") + encode(secret);
        }
        if (r.nextInt(25) == 0) {
            body = body + "&pad=" + "p".repeat(HUGE);
        }
        draft.header("Content-Type", pick(r, "application/x-www-form-urlencoded", "application/x-www-form-urlencoded",
                "application/x-www-form-urlencoded", "application/x-www-form-urlencoded; charset=UTF-8",
                "application/x-www-form-urlencoded; charset=bogus", "application/x-www-form-urlencoded; charset=",
                "APPLICATION/X-WWW-FORM-URLENCODED", "application/json", "multipart/form-data; boundary=x", ""));
        draft.body = r.nextInt(20) == 0 ? invalidUtf8(r) : body.getBytes(r.nextInt(10) == 0
                ? StandardCharsets.ISO_8859_1 : StandardCharsets.UTF_8);
    }

    /** What no ordinary client sends: CR/LF and NUL in headers, raw bytes, folded lines, hundreds of headers. */
    private void socketOnly(Random r, Draft draft) {
        draft.kind = "socket";
        draft.raw = true;
        draft.method = pick(r, "GET", "GET", "POST");
        draft.target = pick(r, APP + "/api/whoami", APP + "/public/status", API + "/tenants",
                "/keygate/oauth2/token");
        String token = tokenForm(r, draft);
        switch (r.nextInt(9)) {
            case 0 -> draft.header("Authorization", "Bearer " + token + "\r\nX-Injected: 1");
            case 1 -> draft.header("Authorization", "Bearer " + token.substring(0, token.length() / 2) + "\u0000"
                    + token.substring(token.length() / 2));
            case 2 -> draft.header("Authorization", "Bearer\r\n " + token);
            case 3 -> draft.header("Authorization", "Bearer " + token + "\u00ff\u0080\u00e9");
            case 4 -> draft.header(pick(r, "authorization", "AUTHORIZATION", "Authorization "), "Bearer " + token);
            case 5 -> {
                for (int i = 0; i < 50 + r.nextInt(150); i++) {
                    draft.header("Authorization", "Bearer " + token);
                }
            }
            case 6 -> draft.header("Authorization", "Bearer " + token + "\u20ac\ud83d\ude00");
            case 7 -> draft.header("Authorization", "Bearer " + randomChars(r, 1 + r.nextInt(300), 0, 0xff));
            default -> draft.header("Authorization", "Bearer " + token + "\r\n\r\nGET /x HTTP/1.1");
        }
        if (draft.method.equals("POST")) {
            draft.header("Content-Type", draft.target.endsWith("token") ? "application/x-www-form-urlencoded"
                    : "application/json");
            draft.body = r.nextBoolean() ? invalidUtf8(r) : ("client_secret=" + token + "&grant_type="
                    + "client_credentials").getBytes(StandardCharsets.ISO_8859_1);
        }
    }

    // ---- parts ----

    /** Zero to three {@code Authorization} headers: valid, mutated, unknown, oversized, foreign, doubled. */
    private void authorization(Random r, Draft draft) {
        int kind = r.nextInt(16);
        switch (kind) {
            case 0 -> { }
            case 1, 2 -> draft.bearer(fixture.secret());
            case 3 -> draft.header("Authorization", scheme(r) + " ".repeat(1 + r.nextInt(r.nextBoolean() ? 3 : 3000))
                    + fixture.secret() + pick(r, "", " ", "\t", "  "));
            case 4, 5 -> draft.header("Authorization", "Bearer " + tokenForm(r, draft));
            case 6 -> draft.header("Authorization", "Bearer " + randomString(r, HUGE + r.nextInt(64), B64));
            case 7 -> draft.header("Authorization", scheme(r) + " " + randomChars(r, HUGE, 0x20, 0xff));
            case 8 -> draft.header("Authorization", "Bearer " + tokenForm(r, draft) + pick(r, "\u00e9", "\u20ac",
                    "\u00a0", "\u0001", "\u007f", "\t", "\u00ff", "\u3000"));
            case 9, 10 -> {
                for (int i = 2 + r.nextInt(2); i > 0; i--) {
                    draft.header("Authorization", r.nextBoolean() ? "Bearer " + fixture.secret()
                            : "Bearer " + tokenForm(r, draft));
                }
                draft.secrets.add(fixture.secret());
            }
            case 11 -> draft.header("Authorization", "Bearer " + fixture.secret() + " " + tokenForm(r, draft));
            case 12 -> draft.header("Authorization", pick(r, "Basic ", "Token ", "Bearer", "Bearer   ", "bearer=",
                    "Bearerx ", "Digest ", "") + (r.nextBoolean() ? fixture.secret() : tokenForm(r, draft)));
            case 13 -> draft.header("Authorization", randomChars(r, r.nextInt(200), 0, 0xff));
            case 14 -> draft.header("Authorization", "Bearer " + randomString(r, 1 + r.nextInt(r.nextBoolean() ? 60
                    : 5000), B64) + "=".repeat(r.nextInt(3)));
            default -> draft.header("Authorization", "Bearer " + fixture.secret() + "=" + pick(r, "", "=", "x"));
        }
        if (kind == 1 || kind == 2 || kind == 3 || kind == 11 || kind == 15
                || (kind == 12 && draft.headerValue("Authorization").contains(fixture.secret()))) {
            draft.secrets.add(fixture.secret());
        }
    }

    private static String scheme(Random r) {
        StringBuilder scheme = new StringBuilder();
        for (char c : "bearer".toCharArray()) {
            scheme.append(r.nextBoolean() ? Character.toUpperCase(c) : c);
        }
        return scheme.toString();
    }

    /**
     * A token in one of its forms: the real secret mutated (a character replaced, inserted, deleted, swapped,
     * its case flipped), cut or extended, a well-formed token no store knows, one with a bad checksum, or the
     * secret itself. Each is recorded as a secret of the request, and the real one with it.
     */
    private String tokenForm(Random r, Draft draft) {
        String real = fixture.secret();
        String form = switch (r.nextInt(10)) {
            case 0 -> real;
            case 1 -> replaceAt(real, r.nextInt(real.length()), BASE62.charAt(r.nextInt(62)));
            case 2 -> insertAt(real, r.nextInt(real.length() + 1), BASE62.charAt(r.nextInt(62)));
            case 3 -> deleteAt(real, r.nextInt(real.length()));
            case 4 -> swap(real, 3 + r.nextInt(real.length() - 4));
            case 5 -> flipCase(real, r.nextInt(real.length()));
            case 6 -> real.substring(0, 16 + r.nextInt(real.length() - 16)) + (r.nextBoolean() ? "" : real);
            case 7 -> TokenFormat.generate(seeded(r.nextLong()));
            case 8 -> withBadChecksum(TokenFormat.generate(seeded(r.nextLong())));
            default -> replaceAt(real, r.nextInt(real.length()), B64.charAt(r.nextInt(B64.length())));
        };
        draft.secrets.add(form);
        draft.secrets.add(real);
        // A mutation may give the real token back (the case of '_' flipped, two equal characters swapped).
        if (!form.equals(real)) {
            draft.forgeries.add(form);
        }
        return form;
    }

    /** A client secret for the token endpoint: the real one, mutated, unknown, oversized, non-ASCII or empty. */
    private String secretForm(Random r, Draft draft) {
        return switch (r.nextInt(8)) {
            case 0, 1 -> {
                draft.secrets.add(fixture.secret());
                yield fixture.secret();
            }
            case 2, 3 -> tokenForm(r, draft);
            case 4 -> randomString(r, HUGE, B64);
            case 5 -> tokenForm(r, draft) + "\u00e9\u0000";
            case 6 -> "";
            default -> text(r, 60);
        };
    }

    private String basic(Random r, String id, String secret) {
        return switch (r.nextInt(6)) {
            case 0, 1, 2 -> Base64.getEncoder().encodeToString((encode(id) + ":" + encode(secret))
                    .getBytes(StandardCharsets.UTF_8));
            case 3 -> Base64.getEncoder().encodeToString(invalidUtf8(r));
            case 4 -> pick(r, "!!!", "", "=", "a", "Zm9v", "Zm9vOg==", "OmZvbw==", "%%%");
            default -> Base64.getEncoder().encodeToString((id + secret).getBytes(StandardCharsets.UTF_8));
        };
    }

    /** A value for {@code limit} or {@code cursor}: numbers, junk, an issued cursor, mutated, tokens. */
    private String queryValue(Random r, Draft draft) {
        return switch (r.nextInt(12)) {
            case 0 -> pick(r, "0", "1", "1000", "1001", "-1", "+5", "007", "1e3", "2147483648", "9".repeat(400), "");
            case 1 -> String.valueOf(r.nextInt());
            case 2 -> fixture.cursor();
            case 3 -> replaceAt(fixture.cursor(), r.nextInt(fixture.cursor().length()), BASE62.charAt(r.nextInt(62)));
            case 4 -> Base64.getUrlEncoder().withoutPadding().encodeToString((r.nextLong() + "." + text(r, 20))
                    .getBytes(StandardCharsets.UTF_8));
            case 5 -> encode(text(r, 50));
            case 6 -> pick(r, "%zz", "%", "%00", "%C0%AF", "%ff%fe", "%u0041", "%2", "a%20b", "%E2%82%AC");
            case 7 -> encode(tokenForm(r, draft));
            case 8 -> "x".repeat(HUGE / 4);
            case 9 -> randomChars(r, 20, 0x21, 0xff);
            default -> encode(randomString(r, 1 + r.nextInt(200), B64 + "=&#?"));
        };
    }

    /**
     * A JSON body: objects over the admin API's field names (and unknown ones, tokens among them) whose values
     * are anything from plausible to extreme; or malformed, deeply nested, 64 KiB, numerically extreme JSON.
     */
    private String jsonBody(Random r, Draft draft) {
        int kind = r.nextInt(100);
        if (kind < 55) {
            return object(r, draft, 0);
        }
        if (kind < 70) {
            return mutate(r, object(r, draft, 0));
        }
        if (kind < 76) {
            int depth = 1 + r.nextInt(r.nextBoolean() ? 2000 : 32_000);
            return pick(r, "[".repeat(depth) + "]".repeat(depth),
                    "{\"name\":".repeat(depth) + "\"x\"" + "}".repeat(depth),
                    "{\"scopes\":" + "[".repeat(depth) + "\"read\"" + "]".repeat(depth) + "}", "[".repeat(depth));
        }
        if (kind < 82) {
            int size = HUGE - 40 + r.nextInt(80);
            return pick(r, "{\"name\":\"" + "a".repeat(size) + "\",\"scopes\":[\"read\"]}",
                    "{\"scopes\":[" + "\"read\",".repeat(size / 7) + "\"read\"],\"name\":\"n\"}",
                    "{\"graceSeconds\":" + "7".repeat(size) + "}", randomChars(r, size, 0, 0xffff));
        }
        if (kind < 90) {
            return pick(r, "{\"graceSeconds\":1E+2147483648}", "{\"graceSeconds\":" + "9".repeat(1200) + "}",
                    "{\"maxTokenLifetimeSeconds\":1e999999999}", "{\"maxTokenLifetimeSeconds\":-1e-999999999}",
                    "{\"name\":\"x\",\"scopes\":[\"read\"],\"expiresAt\":\"+999999999-12-31T23:59:59Z\"}",
                    "{\"name\":\"x\",\"scopes\":[\"read\"],\"expiresAt\":\"+300000000-01-01T00:00:00Z\"}",
                    "{\"expiresAt\":\"+999999999-12-31T23:59:59Z\"}",
                    "{\"name\":\"x\",\"scopes\":[\"read\"],\"rateLimit\":{\"requests\":1e400,\"windowSeconds\":1}}");
        }
        return pick(r, "", " ", "null", "[]", "\"x\"", "1", "true", "{}", "{} x", "{}{}", "\ufeff{}", "{\"name\":\"a\",}",
                "{\"name\":\"\\u0000\",\"scopes\":[\"read\"]}", "{\"name\":\"\\ud800\",\"scopes\":[\"read\"]}", "{'a':1}",
                "{\"name\" \"a\"}", "{\"name\":\"a\",\"name\":\"b\",\"scopes\":[\"read\"]}");
    }

    private String object(Random r, Draft draft, int depth) {
        StringBuilder json = new StringBuilder("{");
        int members = r.nextInt(6);
        for (int i = 0; i < members; i++) {
            if (i > 0) {
                json.append(',');
            }
            String key = r.nextInt(12) == 0 ? (r.nextBoolean() ? tokenForm(r, draft) : text(r, 60))
                    : pick(r, "name", "scopes", "owner", "expiresAt", "slug", "apiAccessEnabled",
                    "maxTokenLifetimeSeconds", "graceSeconds", "rateLimit", "allowedAddresses", "expires_at");
            json.append(Json.createValue(key)).append(':').append(value(r, draft, key, depth));
        }
        return json.append('}').toString();
    }

    private String value(Random r, Draft draft, String key, int depth) {
        int kind = r.nextInt(12);
        if (kind == 0) {
            return pick(r, "null", "true", "false", "0", "[]", "{}", "-1", "1.5");
        }
        if (kind == 1 && depth < 3) {
            return object(r, draft, depth + 1);
        }
        if (kind == 2 && !key.equals("name") && !key.equals("owner")) {
            // Not as a name or owner: those are stored and shown by design, so a token there comes back.
            return Json.createValue(tokenForm(r, draft)).toString();
        }
        return switch (key) {
            case "name", "owner" -> Json.createValue(pick(r, "Fuzz", "x".repeat(100), "x".repeat(101),
                    "\ud83d\ude00".repeat(100), "\ud83d\ude00".repeat(51), " ", "", "a\u0000b", "\u202e", text(r, 120)))
                    .toString();
            case "slug" -> Json.createValue(pick(r, "it-fuzz-" + Long.toString(r.nextLong() & Long.MAX_VALUE, 36),
                    "-x", "A", "a".repeat(64), "", text(r, 20))).toString();
            case "scopes" -> scopes(r, draft);
            case "expiresAt" -> Json.createValue(pick(r, "2099-01-01T00:00:00Z", "2000-01-01T00:00:00Z",
                    "2099-01-01", "2099-02-30T00:00:00Z", "9999-12-31T23:59:59Z", "+10000-01-01T00:00:00Z",
                    "+999999999-12-31T23:59:59Z", "-999999999-01-01T00:00:00Z", "2099-01-01T00:00:00+19:00",
                    text(r, 30))).toString();
            case "maxTokenLifetimeSeconds", "graceSeconds" -> pick(r, "0", "3599", "3600", "316224000", "316224001",
                    "2592000", "2592001", "9223372036854775807", "9223372036854775808", "1e400", "1E-400", "-0",
                    String.valueOf(r.nextLong()), "\"3600\"");
            case "apiAccessEnabled" -> pick(r, "true", "false", "\"true\"", "1", "null");
            case "rateLimit" -> pick(r, "{\"requests\":100,\"windowSeconds\":60}", "{\"requests\":0}",
                    "{\"requests\":1e999,\"windowSeconds\":-1}", "{\"x\":1}", "[]", "5",
                    "{\"requests\":2147483648,\"windowSeconds\":86400}");
            case "allowedAddresses" -> addresses(r);
            default -> Json.createValue(text(r, 40)).toString();
        };
    }

    private String scopes(Random r, Draft draft) {
        JsonArrayBuilder array = Json.createArrayBuilder();
        int count = r.nextInt(10) == 0 ? 45 + r.nextInt(10) : r.nextInt(5);
        for (int i = 0; i < count; i++) {
            array.add(switch (r.nextInt(6)) {
                case 0, 1 -> pick(r, "read", "write", "admin", "reports:read", "introspect");
                case 2 -> "s" + randomString(r, 63, "abcdefghijklmnopqrstuvwxyz0123456789_.:-");
                case 3 -> tokenForm(r, draft);
                default -> text(r, 80);
            });
        }
        return array.build().toString();
    }

    private String addresses(Random r) {
        JsonArrayBuilder array = Json.createArrayBuilder();
        int count = r.nextInt(8) == 0 ? 45 + r.nextInt(10) : r.nextInt(4);
        for (int i = 0; i < count; i++) {
            array.add(pick(r, "203.0.113.0/24", "2001:db8::1", "ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff/128",
                    "::ffff:255.255.255.255/128", "256.0.0.1", "1.2.3.4/33", "fe80::1%eth0", "localhost", "", "[::1]",
                    text(r, 50)));
        }
        return array.build().toString();
    }

    /** One to three random edits of a well-formed body. */
    private static String mutate(Random r, String json) {
        StringBuilder text = new StringBuilder(json);
        for (int count = 1 + r.nextInt(3); count > 0; count--) {
            int at = r.nextInt(text.length() + 1);
            String edits = "{}[]\":,\\ 0e-\u0000x\u00e9";
            char c = edits.charAt(r.nextInt(edits.length()));
            if (r.nextBoolean() || at == text.length()) {
                text.insert(at, c);
            } else if (r.nextBoolean()) {
                text.deleteCharAt(at);
            } else {
                text.setCharAt(at, c);
            }
        }
        return text.toString();
    }

    // ---- small helpers ----

    /** Text from everywhere: ASCII, Latin-1, control characters, symbols, emoji, a lone surrogate. */
    static String text(Random r, int maxLength) {
        int length = r.nextInt(maxLength + 1);
        return switch (r.nextInt(4)) {
            case 0 -> randomChars(r, length, 0x20, 0x7e);
            case 1 -> randomChars(r, length, 0, 0xff);
            case 2 -> randomString(r, length, "abc XYZ-_\u00e9\u20ac\ud83d\ude00\u0000\t\n\"\\'<>&%;/");
            default -> randomChars(r, length, 0, 0xffff);
        };
    }

    static String randomChars(Random r, int length, int from, int to) {
        StringBuilder text = new StringBuilder(length);
        for (int i = 0; i < length; i++) {
            text.append((char) (from + r.nextInt(to - from + 1)));
        }
        return text.toString();
    }

    static String randomString(Random r, int length, String alphabet) {
        StringBuilder text = new StringBuilder(length);
        for (int i = 0; i < length; i++) {
            text.append(alphabet.charAt(r.nextInt(alphabet.length())));
        }
        return text.toString();
    }

    private static byte[] invalidUtf8(Random r) {
        byte[] bytes = new byte[1 + r.nextInt(200)];
        r.nextBytes(bytes);
        bytes[0] = (byte) 0xc3;
        return bytes;
    }

    @SafeVarargs
    private static <T> T pick(Random r, T... choices) {
        return choices[r.nextInt(choices.length)];
    }

    private static String encode(String text) {
        return URLEncoder.encode(text, StandardCharsets.UTF_8);
    }

    private static String replaceAt(String text, int at, char c) {
        return text.substring(0, at) + c + text.substring(at + 1);
    }

    private static String insertAt(String text, int at, char c) {
        return text.substring(0, at) + c + text.substring(at);
    }

    private static String deleteAt(String text, int at) {
        return text.substring(0, at) + text.substring(at + 1);
    }

    private static String swap(String text, int at) {
        return text.substring(0, at) + text.charAt(at + 1) + text.charAt(at) + text.substring(at + 2);
    }

    private static String flipCase(String text, int at) {
        char c = text.charAt(at);
        return replaceAt(text, at, Character.isUpperCase(c) ? Character.toLowerCase(c) : Character.toUpperCase(c));
    }

    private static String withBadChecksum(String token) {
        char last = token.charAt(token.length() - 1);
        return token.substring(0, token.length() - 1) + (last == 'a' ? 'b' : 'a');
    }

    /** A SecureRandom that gives the same tokens for the same seed (SHA1PRNG seeded before first use). */
    private static SecureRandom seeded(long seed) {
        try {
            SecureRandom random = SecureRandom.getInstance("SHA1PRNG");
            random.setSeed(seed);
            return random;
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Control and non-ASCII characters as {@code \\uXXXX}, cut to {@code max} characters, for reports. */
    static String printable(String text, int max) {
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < text.length() && out.length() < max; i++) {
            char c = text.charAt(i);
            out.append(c >= 0x20 && c < 0x7f ? String.valueOf(c) : String.format("\\u%04x", (int) c));
        }
        return text.length() > max ? out + "...(" + text.length() + " chars)" : out.toString();
    }

    /** A request being built. */
    private static final class Draft {
        final int index;
        String kind;
        String method = "GET";
        String target = "/";
        final List<String[]> headers = new ArrayList<>();
        byte[] body = new byte[0];
        boolean raw;
        final Set<String> secrets = new LinkedHashSet<>();
        /** The tokens {@link #tokenForm} made that are not the real one. */
        final Set<String> forgeries = new LinkedHashSet<>();
        /** The real token, to tell a forged request from one that also carries it. */
        final String real;

        Draft(int index, String real) {
            this.index = index;
            this.real = real;
        }

        void header(String name, String value) {
            headers.add(new String[] {name, value});
        }

        void to(String method, String target, String body) {
            this.method = method;
            this.target = target;
            this.body = body.getBytes(StandardCharsets.UTF_8);
        }

        void bearer(String token) {
            header("Authorization", "Bearer " + token);
            secrets.add(token);
        }

        String headerValue(String name) {
            return headers.stream().filter(h -> h[0].equalsIgnoreCase(name)).map(h -> h[1]).findFirst().orElse("");
        }

        FuzzRequest done() {
            return new FuzzRequest(index, kind, method, target, List.copyOf(headers), body, raw, Set.copyOf(secrets),
                    isForged());
        }

        /**
         * A protected target, and {@code Authorization} headers (the name as any client may spell it) that hold a
         * forged token and nowhere the real one.
         */
        private boolean isForged() {
            List<String> authorizations = headers.stream()
                    .filter(h -> h[0].strip().equalsIgnoreCase("Authorization")).map(h -> h[1]).toList();
            return isProtected(target) && !authorizations.isEmpty()
                    && authorizations.stream().noneMatch(value -> value.contains(real))
                    && authorizations.stream().anyMatch(value -> forgeries.stream().anyMatch(value::contains));
        }
    }
}
