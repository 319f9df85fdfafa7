package io.keygate.filter;

import java.util.Objects;

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
     * The token is valid and carries this identity. Its {@link KeygatePrincipal} is made here, once per verdict, so
     * that the requests a cached verdict serves share it instead of each building its own (the hot path allocates
     * nothing more for the tenant-qualified subject).
     */
    final class Valid implements VerificationResult {

        private final VerifiedToken token;
        private final KeygatePrincipal principal;

        Valid(VerifiedToken token) {
            this.token = Objects.requireNonNull(token, "token");
            this.principal = new KeygatePrincipal(token.principal(), token.tenant());
        }

        public VerifiedToken token() {
            return token;
        }

        /** The user the token acts for, in its tenant. */
        public KeygatePrincipal principal() {
            return principal;
        }

        @Override
        public boolean equals(Object other) {
            return other instanceof Valid that && token.equals(that.token);
        }

        @Override
        public int hashCode() {
            return token.hashCode();
        }

        @Override
        public String toString() {
            return "Valid[" + token + "]";
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
