package io.keygate.bearer;

/**
 * What the {@code Authorization} header of a request holds, as read by {@link BearerTokenResolver}: no bearer
 * credentials at all, one syntactically valid bearer token, or a malformed bearer request.
 *
 * <p>{@code toString()} of a {@link BearerResolution.Token Token} never shows the token, so a result can be
 * logged or end up in an assertion message without leaking it.
 */
public sealed interface BearerResolution {

    /** No {@code Authorization} header, or one with another scheme: the request carries no bearer token. */
    record Absent() implements BearerResolution {
    }

    /** One token that matches RFC 6750 section 2.1 {@code b64token}; not yet checked in any other way. */
    record Token(String value) implements BearerResolution {

        @Override
        public String toString() {
            return "Token[value=(redacted)]";
        }
    }

    /**
     * A bearer request that breaks RFC 6750 section 2.1: answered with {@code invalid_request} (section 3.1).
     *
     * @param description why, safe for an {@code error_description}; never contains the token
     */
    record Malformed(String description) implements BearerResolution {
    }
}
