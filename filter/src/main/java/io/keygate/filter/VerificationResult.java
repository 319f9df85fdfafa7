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

    /** The token is valid and carries this identity. */
    record Valid(VerifiedToken token) implements VerificationResult {
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
