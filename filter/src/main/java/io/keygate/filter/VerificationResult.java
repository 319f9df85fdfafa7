package io.keygate.filter;

/**
 * The verifier's verdict on one token hash, as {@link VerifierClient} reports it.
 *
 * <p>{@link Invalid} covers unknown, revoked and disabled-tenant tokens alike: the verifier does not tell
 * them apart, so the filter cannot leak which one it was. {@link Unavailable} means no verdict at all (the
 * verifier is absent, redeploying, failing, or answered something unreadable): the filter answers 503, never
 * 401 and never 200.
 */
sealed interface VerificationResult {

    /**
     * The token is valid and carries this identity. Its {@link KeygatePrincipal} is made with the verdict, once, so
     * that the requests a cached verdict serves share it instead of each building its own (the hot path allocates
     * nothing more for the tenant-qualified subject).
     *
     * @param principal the user the token acts for, in its tenant
     */
    record Valid(VerifiedToken token, KeygatePrincipal principal) implements VerificationResult {

        Valid(VerifiedToken token) {
            this(token, new KeygatePrincipal(token.principal(), token.tenant()));
        }
    }

    /** Unknown, revoked, or its tenant's API access is off. */
    record Invalid() implements VerificationResult {
    }

    /** The token was valid and has expired. */
    record Expired() implements VerificationResult {
    }

    /** No verdict could be had. */
    record Unavailable() implements VerificationResult {
    }
}
