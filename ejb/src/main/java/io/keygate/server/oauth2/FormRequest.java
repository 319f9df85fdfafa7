package io.keygate.server.oauth2;

import jakarta.servlet.http.HttpServletRequest;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.Charset;
import java.nio.charset.IllegalCharsetNameException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import java.util.Set;

/**
 * The form parameters of a token-endpoint request (RFC 6749 section 3.2: {@code application/x-www-form-urlencoded}
 * POST body). Parameters that carry a secret are refused in the query string, where logs and proxies keep
 * them (RFC 6749 section 2.3.1, OWASP ASVS 5.0 14.2.1), and a parameter may appear only once (section 3.1).
 */
final class FormRequest {

    private static final Set<String> SECRETS = Set.of("client_secret", "password", "token");

    private final HttpServletRequest request;

    private FormRequest(HttpServletRequest request) {
        this.request = request;
    }

    /** The request's form, or the error that says why it is not one. */
    static FormRequest of(HttpServletRequest request) throws OAuthException {
        String type = request.getContentType();
        if (type == null || !type.toLowerCase(java.util.Locale.ROOT).startsWith("application/x-www-form-urlencoded")) {
            throw new OAuthException(OAuthError.invalidRequest(
                    "The body must be application/x-www-form-urlencoded (RFC 6749 section 3.2)"));
        }
        refuseUnreadableCharset(type);
        refuseCredentialsIn(request.getQueryString());
        return new FormRequest(request);
    }

    /**
     * Refuses a {@code charset} parameter that names no charset this JVM has (empty, illegal or unknown): the
     * container would decode the body with it, and containers fail on such names in their own ways (Undertow throws
     * out of {@code getParameter} for an empty one). Absent, the form is UTF-8 (RFC 6749 appendix B).
     */
    static void refuseUnreadableCharset(String contentType) throws OAuthException {
        for (String parameter : contentType.split(";")) {
            String[] pair = parameter.split("=", 2);
            if (pair.length == 2 && pair[0].strip().equalsIgnoreCase("charset")) {
                String name = pair[1].strip();
                if (name.length() >= 2 && name.startsWith("\"") && name.endsWith("\"")) {
                    name = name.substring(1, name.length() - 1);
                }
                if (!isSupported(name)) {
                    throw new OAuthException(OAuthError.invalidRequest("The charset of the Content-Type is not"
                            + " supported; send UTF-8 (RFC 6749 appendix B)"));
                }
            }
        }
    }

    private static boolean isSupported(String charset) {
        try {
            return !charset.isEmpty() && Charset.isSupported(charset);
        } catch (IllegalCharsetNameException e) {
            return false;
        }
    }

    /**
     * Refuses a query string that names a credential parameter in any encoding ({@code client%5Fsecret},
     * {@code pass%77ord}, {@code t%6Fken}): each name is decoded as the container decodes form names
     * (application/x-www-form-urlencoded, UTF-8) before it is compared, since the container hands the decoded name
     * to {@link #get}. A name that is not valid form encoding (a stray {@code %}, bytes that are not UTF-8) is
     * refused too: what it means depends on the decoder, and a refusal never depends on that.
     */
    static void refuseCredentialsIn(String query) throws OAuthException {
        if (query == null) {
            return;
        }
        for (String pair : query.split("&", -1)) {
            String name = decodeName(pair.split("=", 2)[0]);
            if (SECRETS.contains(name)) {
                throw new OAuthException(OAuthError.invalidRequest("Credentials must not be sent in the URL"));
            }
        }
    }

    /** A form-encoded name, decoded strictly ({@code +} is a space, {@code %XX} a byte, the bytes UTF-8). */
    private static String decodeName(String encoded) throws OAuthException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(encoded.length());
        for (int i = 0; i < encoded.length(); i++) {
            char c = encoded.charAt(i);
            if (c == '%') {
                int high = i + 2 < encoded.length() ? Character.digit(encoded.charAt(i + 1), 16) : -1;
                int low = high >= 0 ? Character.digit(encoded.charAt(i + 2), 16) : -1;
                if (low < 0) {
                    throw malformedQuery();
                }
                bytes.write(high * 16 + low);
                i += 2;
            } else if (c == '+') {
                bytes.write(' ');
            } else if (c < 0x80) {
                bytes.write(c);
            } else {
                byte[] utf8 = String.valueOf(c).getBytes(StandardCharsets.UTF_8);
                bytes.write(utf8, 0, utf8.length);
            }
        }
        try {
            return StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes.toByteArray())).toString();
        } catch (CharacterCodingException e) {
            throw malformedQuery();
        }
    }

    private static OAuthException malformedQuery() {
        return new OAuthException(OAuthError.invalidRequest("The query string is not valid form encoding"
                + " (application/x-www-form-urlencoded, UTF-8)"));
    }

    /** The single value of {@code name}, or empty when absent or blank. */
    Optional<String> get(String name) throws OAuthException {
        String[] values = request.getParameterValues(name);
        if (values == null || values.length == 0 || values[0].isBlank()) {
            return Optional.empty();
        }
        if (values.length > 1) {
            throw new OAuthException(OAuthError.invalidRequest("'" + name + "' must appear once"));
        }
        return Optional.of(values[0]);
    }

    String required(String name) throws OAuthException {
        return get(name).orElseThrow(() -> new OAuthException(OAuthError.invalidRequest("'" + name + "' is required")));
    }

    HttpServletRequest servletRequest() {
        return request;
    }
}
