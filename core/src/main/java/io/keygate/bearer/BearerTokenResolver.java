package io.keygate.bearer;

import jakarta.servlet.http.HttpServletRequest;
import java.util.Enumeration;

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

    private static final BearerResolution ABSENT = new BearerResolution.Absent();
    private static final BearerResolution EMPTY = new BearerResolution.Malformed(EMPTY_TOKEN);
    private static final BearerResolution BAD = new BearerResolution.Malformed(BAD_CHARACTERS);
    private static final BearerResolution TWO = new BearerResolution.Malformed(TWO_TOKENS);
    private static final BearerResolution DUPLICATE = new BearerResolution.Malformed(TWO_HEADERS);
    private static final BearerResolution LONG = new BearerResolution.Malformed(TOO_LONG);

    /** What the request's {@code Authorization} header holds. */
    public BearerResolution resolve(HttpServletRequest request) {
        Enumeration<String> values = request.getHeaders(AUTHORIZATION);
        if (values == null) {
            // A container may refuse to enumerate headers (Servlet 6.0, getHeaders); fall back to the first.
            String single = request.getHeader(AUTHORIZATION);
            return single == null ? ABSENT : resolve(single);
        }
        if (!values.hasMoreElements()) {
            return ABSENT;
        }
        String first = values.nextElement();
        return values.hasMoreElements() ? DUPLICATE : resolve(first);
    }

    /**
     * What one {@code Authorization} header value holds. One pass over the characters, no regular expression:
     * the value without surrounding whitespace ({@link String#strip()}) must start with the scheme, then
     * whitespace of which the first is a space, then the credentials, checked in this order: not longer than
     * {@value #MAX_TOKEN_LENGTH}, no space, then {@code b64token}.
     */
    public BearerResolution resolve(String header) {
        int start = 0;
        int end = header.length();
        while (start < end && Character.isWhitespace(header.charAt(start))) {
            start++;
        }
        while (end > start && Character.isWhitespace(header.charAt(end - 1))) {
            end--;
        }
        int schemeEnd = start + SCHEME.length();
        if (end < schemeEnd || !header.regionMatches(true, start, SCHEME, 0, SCHEME.length())) {
            return ABSENT;
        }
        if (end == schemeEnd) {
            return EMPTY;
        }
        // "Bearerx" is another scheme; "Bearer\tabc" is a bearer request with a bad separator.
        char separator = header.charAt(schemeEnd);
        if (!Character.isWhitespace(separator)) {
            return ABSENT;
        }
        // The value ends with a character that is not whitespace, so the credentials are never empty here.
        int credentials = schemeEnd + 1;
        while (Character.isWhitespace(header.charAt(credentials))) {
            credentials++;
        }
        if (separator != ' ') {
            return BAD;
        }
        if (end - credentials > MAX_TOKEN_LENGTH) {
            return LONG;
        }
        int space = header.indexOf(' ', credentials);
        if (space >= 0 && space < end) {
            return TWO;
        }
        if (!isB64Token(header, credentials, end)) {
            return BAD;
        }
        return new BearerResolution.Token(header.substring(credentials, end));
    }

    /** Whether {@code text[from, to)} is {@code 1*( ALPHA / DIGIT / "-" / "." / "_" / "~" / "+" / "/" ) *"="}. */
    static boolean isB64Token(String text, int from, int to) {
        int i = from;
        while (i < to && isB64Character(text.charAt(i))) {
            i++;
        }
        if (i == from) {
            return false;
        }
        while (i < to && text.charAt(i) == '=') {
            i++;
        }
        return i == to;
    }

    private static boolean isB64Character(char c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
                || c == '-' || c == '.' || c == '_' || c == '~' || c == '+' || c == '/';
    }
}
