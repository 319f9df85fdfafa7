package io.keygate.filter;

import jakarta.servlet.http.HttpServletRequest;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Enumeration;
import java.util.List;
import java.util.regex.Pattern;

/**
 * Turns a request's {@code Authorization} header into a {@link BearerResolution}. It only reads the header:
 * never the query string, a form body or a cookie (RFC 6750 sections 2.2 and 2.3 are optional, and both put
 * the token where logs and caches see it).
 *
 * <p>The rules, from <a href="https://www.rfc-editor.org/rfc/rfc6750#section-2.1">RFC 6750 section 2.1</a>
 * ({@code credentials = "Bearer" 1*SP b64token}):
 * <ul>
 * <li>the scheme is case-insensitive ({@code bearer}, {@code BEARER}; RFC 9110 section 11.1); another scheme
 * (say {@code Basic}) means no bearer token;</li>
 * <li>exactly one token after one or more spaces, matching {@code [A-Za-z0-9\-._~+/]+=*};</li>
 * <li>an empty token, a character outside {@code b64token}, a second token, a second {@code Authorization}
 * header, or a token over {@value #MAX_TOKEN_LENGTH} characters is an {@code invalid_request}.</li>
 * </ul>
 *
 * <pre>
 * BearerResolution r = new BearerTokenResolver().resolve(request);
 * if (r instanceof BearerResolution.Token token) { ... token.value() ... }
 * </pre>
 */
public final class BearerTokenResolver {

    /** Name of the header that carries the credentials (RFC 9110 section 11.6.2). */
    public static final String AUTHORIZATION = "Authorization";
    /** The authentication scheme (RFC 6750 section 2.1), compared case-insensitively. */
    public static final String SCHEME = "Bearer";
    /**
     * Longest token looked at. A Keygate token has 39 characters and the admin bootstrap token at most 256;
     * anything far longer is refused before it is scanned, hashed or sent anywhere.
     */
    public static final int MAX_TOKEN_LENGTH = 4096;

    public static final String EMPTY_TOKEN = "The bearer token is empty";
    public static final String BAD_CHARACTERS =
            "The bearer token has characters outside the RFC 6750 b64token syntax";
    public static final String TWO_TOKENS = "The Authorization header has more than one bearer token";
    public static final String TWO_HEADERS = "The request has more than one Authorization header";
    public static final String TOO_LONG = "The bearer token is longer than " + MAX_TOKEN_LENGTH + " characters";

    private static final Pattern B64TOKEN = Pattern.compile("[A-Za-z0-9\\-._~+/]+=*");

    /** What the request's {@code Authorization} header holds. */
    public BearerResolution resolve(HttpServletRequest request) {
        List<String> headers = headers(request);
        if (headers.isEmpty()) {
            return new BearerResolution.Absent();
        }
        if (headers.size() > 1) {
            return new BearerResolution.Malformed(TWO_HEADERS);
        }
        return resolve(headers.get(0));
    }

    /** What one {@code Authorization} header value holds. */
    public BearerResolution resolve(String header) {
        String value = header.strip();
        if (!hasBearerScheme(value)) {
            return new BearerResolution.Absent();
        }
        String credentials = value.substring(SCHEME.length()).strip();
        if (credentials.isEmpty()) {
            return new BearerResolution.Malformed(EMPTY_TOKEN);
        }
        if (value.charAt(SCHEME.length()) != ' ') {
            return new BearerResolution.Malformed(BAD_CHARACTERS);
        }
        if (credentials.length() > MAX_TOKEN_LENGTH) {
            return new BearerResolution.Malformed(TOO_LONG);
        }
        if (credentials.indexOf(' ') >= 0) {
            return new BearerResolution.Malformed(TWO_TOKENS);
        }
        if (!B64TOKEN.matcher(credentials).matches()) {
            return new BearerResolution.Malformed(BAD_CHARACTERS);
        }
        return new BearerResolution.Token(credentials);
    }

    /**
     * Whether the value starts with the scheme name followed by nothing or whitespace: {@code Bearerx} is
     * another scheme, {@code Bearer\tabc} is a bearer request with a bad separator.
     */
    private static boolean hasBearerScheme(String value) {
        if (!value.regionMatches(true, 0, SCHEME, 0, SCHEME.length())) {
            return false;
        }
        return value.length() == SCHEME.length() || Character.isWhitespace(value.charAt(SCHEME.length()));
    }

    private static List<String> headers(HttpServletRequest request) {
        Enumeration<String> values = request.getHeaders(AUTHORIZATION);
        if (values == null) {
            // A container may refuse to enumerate headers (Servlet 6.0, getHeaders); fall back to the first.
            String single = request.getHeader(AUTHORIZATION);
            return single == null ? List.of() : List.of(single);
        }
        return new ArrayList<>(Collections.list(values));
    }
}
