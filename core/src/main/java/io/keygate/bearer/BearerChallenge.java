package io.keygate.bearer;

/**
 * Builds {@code WWW-Authenticate} values (<a href="https://www.rfc-editor.org/rfc/rfc6750#section-3">RFC 6750
 * section 3</a>) and checks the characters that may go into them.
 *
 * <pre>
 * Bearer realm="/sample"
 * Bearer realm="/sample", error="invalid_token", error_description="The access token is invalid"
 * Bearer realm="/sample", error="insufficient_scope", scope="write"
 * </pre>
 *
 * <p>The {@code insufficient_scope} challenge carries the scope and no description, as the specification's
 * table shows it; the JSON body has the description. Values are written as quoted strings without escapes,
 * which is why every value is checked to contain no {@code "} or {@code \}.
 */
public final class BearerChallenge {

    /** Why a realm was refused. */
    public static final String BAD_REALM = "a realm must be printable ASCII without \" and \\";

    private BearerChallenge() {
    }

    /** The bare challenge, for a request without credentials. */
    public static String of(String realm) {
        return "Bearer realm=\"" + checked(realm) + "\"";
    }

    /** The challenge for {@code error}, or {@code null} when that answer carries none. */
    public static String of(String realm, BearerError error) {
        return switch (error.challenge()) {
            case NONE -> null;
            case BARE -> of(realm);
            case WITH_ERROR -> withError(realm, error);
        };
    }

    /**
     * Whether {@code value} may be an {@code error}, {@code error_description} or realm: non-empty and only
     * {@code %x20-21 / %x23-5B / %x5D-7E} (RFC 6750 section 3), that is printable ASCII without {@code "} and
     * {@code \}.
     */
    public static boolean isValidParameterValue(String value) {
        if (value == null || value.isEmpty()) {
            return false;
        }
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c < 0x20 || c > 0x7e || c == '"' || c == '\\') {
                return false;
            }
        }
        return true;
    }

    /** Whether {@code value} is a valid {@code scope} value: {@code scope-token *( SP scope-token )}. */
    public static boolean isValidScope(String value) {
        if (value == null || value.isEmpty()) {
            return false;
        }
        for (String token : value.split(" ", -1)) {
            if (token.isEmpty() || !isValidParameterValue(token)) {
                return false;
            }
        }
        return true;
    }

    private static String withError(String realm, BearerError error) {
        StringBuilder challenge = new StringBuilder(of(realm));
        challenge.append(", error=\"").append(error.code()).append('"');
        if (error.scope() != null) {
            challenge.append(", scope=\"").append(error.scope()).append('"');
        } else {
            challenge.append(", error_description=\"").append(error.description()).append('"');
        }
        return challenge.toString();
    }

    private static String checked(String realm) {
        if (!isValidParameterValue(realm)) {
            throw new IllegalArgumentException(BAD_REALM);
        }
        return realm;
    }
}
