package io.keygate.filter;

import io.keygate.bearer.BearerError;
import io.keygate.bearer.BearerErrors;
import io.keygate.filter.handover.FailureTally;
import io.keygate.metrics.Outcome;
import io.keygate.protocol.Verdict;
import io.keygate.transport.IpRange;
import java.util.LinkedHashSet;

/**
 * The verifier's verdict on one token hash, as {@link VerifierClient} reports it.
 *
 * <p>{@link Invalid} covers unknown, revoked and disabled-tenant tokens alike, and the filter answers them alike, so
 * that it cannot leak which one it was (only its metrics count revoked ones apart). {@link Unavailable} means no
 * verdict at all (the verifier is absent, redeploying, failing, or answered something unreadable): the filter
 * answers 503, never 401 and never 200.
 */
sealed interface VerificationResult {

    /** How the metrics count a request that got this verdict and went no further. */
    Outcome outcome();

    /** Why a verdict that refuses the token counts as a failed authentication (audit log, throttle). */
    default FailureTally.Reason failureReason() {
        return this instanceof Expired ? FailureTally.Reason.EXPIRED : FailureTally.Reason.INVALID;
    }

    /** The 401 of a verdict that refuses the token: expired says so, everything else is the same invalid_token. */
    default BearerError refusal() {
        return this instanceof Expired ? BearerErrors.EXPIRED_TOKEN_ERROR : BearerErrors.INVALID_TOKEN_ERROR;
    }

    /** What the filter makes of the verifier's {@code verdict}: the addresses parsed, the principal made once. */
    static VerificationResult of(Verdict verdict) {
        if (Verdict.EXPIRED.equals(verdict)) {
            return new Expired();
        }
        if (!(verdict instanceof Verdict.Valid valid)) {
            return new Invalid(verdict instanceof Verdict.Refused refused && refused.revoked());
        }
        return new Valid(new VerifiedToken(valid.tenant(), valid.tokenId(), valid.tokenName(), valid.principal(),
                new LinkedHashSet<>(valid.scopes()), valid.expiresAt(), valid.rateLimit() == null ? null
                        : new VerifiedToken.RateLimit(valid.rateLimit().requests(), valid.rateLimit().windowSeconds()),
                valid.allowedAddresses() == null ? null
                        : valid.allowedAddresses().stream().map(IpRange::parse).toList(),
                valid.parentId()));
    }

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

        @Override
        public Outcome outcome() {
            return Outcome.OK;
        }
    }

    /**
     * Unknown, revoked, or its tenant's API access is off.
     *
     * @param revoked whether the verifier said it was revoked: for the metrics only, the client's answer is the same
     */
    record Invalid(boolean revoked) implements VerificationResult {

        /** Not known to be revoked. */
        Invalid() {
            this(false);
        }

        @Override
        public Outcome outcome() {
            return revoked ? Outcome.REVOKED : Outcome.INVALID;
        }
    }

    /** The token was valid and has expired. */
    record Expired() implements VerificationResult {
        @Override
        public Outcome outcome() {
            return Outcome.EXPIRED;
        }
    }

    /** No verdict could be had. */
    record Unavailable() implements VerificationResult {
        @Override
        public Outcome outcome() {
            return Outcome.UNAVAILABLE;
        }
    }
}
