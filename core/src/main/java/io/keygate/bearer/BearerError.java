package io.keygate.bearer;

/**
 * One answer the filter gives instead of passing a request on: status, error code, description and what
 * kind of {@code WWW-Authenticate} challenge goes with it. The instances live in {@link BearerErrors}.
 *
 * @param status      HTTP status
 * @param code        the {@code error} of the JSON body and, for {@link Challenge#WITH_ERROR}, of the challenge
 * @param description the {@code error_description}; checked against RFC 6750 section 3
 * @param scope       the scope an {@code insufficient_scope} error names, otherwise {@code null}
 * @param challenge   which {@code WWW-Authenticate} header the response carries
 */
public record BearerError(int status, String code, String description, String scope, Challenge challenge) {

    /** Which challenge a response carries (RFC 6750 section 3). */
    public enum Challenge {
        /** No {@code WWW-Authenticate}: the failure is not about credentials (503, HTTPS required). */
        NONE,
        /** {@code Bearer realm="..."} only: the request had no credentials (section 3, last paragraph). */
        BARE,
        /** {@code Bearer realm="...", error="...", ...}: the credentials were wrong (section 3.1). */
        WITH_ERROR
    }

    public BearerError {
        if (!BearerChallenge.isValidParameterValue(code) || !BearerChallenge.isValidParameterValue(description)) {
            throw new IllegalArgumentException("error and error_description must be %x20-21 / %x23-5B / %x5D-7E");
        }
        if (scope != null && !BearerChallenge.isValidScope(scope)) {
            throw new IllegalArgumentException("scope must be %x21 / %x23-5B / %x5D-7E, space-separated");
        }
    }
}
