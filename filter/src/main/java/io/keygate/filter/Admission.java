package io.keygate.filter;

import io.keygate.bearer.BearerError;
import io.keygate.bearer.BearerErrors;
import io.keygate.limits.TokenRateLimiter;
import io.keygate.metrics.Outcome;

/**
 * What {@link RequestLimits} decided about a request: admitted, or refused with {@link #refusal}. The decision
 * carries what the answer's headers say, and {@link ErrorResponseWriter} writes them, so that the limits decide and
 * the filter writes.
 *
 * <p>A request the limits do not touch gets {@link #ADMITTED}, a shared instance: deciding allocates nothing on the
 * hot path.
 *
 * @param refusal           the answer, or {@code null} when the request is admitted
 * @param retryAfterSeconds the {@code Retry-After} of a 429 (RFC 6585 section 4), or {@link #NO_RETRY}
 * @param rate              the token's rate-limit window, whose {@code RateLimit-*} headers go on the answer, admitted
 *                          or refused; {@code null} when the token has no rate limit
 */
record Admission(BearerError refusal, long retryAfterSeconds, TokenRateLimiter.Decision rate) {

    /** No {@code Retry-After}. */
    static final long NO_RETRY = -1;

    /** Admitted, with no headers to add. */
    static final Admission ADMITTED = new Admission(null, NO_RETRY, null);
    /** 403: the token has an address allowlist and the client is not on it. */
    static final Admission ADDRESS_NOT_ALLOWED = new Admission(BearerErrors.ADDRESS_NOT_ALLOWED_ERROR, NO_RETRY, null);

    /** 429: the client failed too often; it may try again in {@code seconds}. */
    static Admission throttled(long seconds) {
        return new Admission(BearerErrors.TOO_MANY_FAILURES_ERROR, seconds, null);
    }

    /** Within the token's rate limit, or 429 until its window ends. */
    static Admission rate(TokenRateLimiter.Decision decision) {
        return decision.allowed() ? new Admission(null, NO_RETRY, decision)
                : new Admission(BearerErrors.RATE_LIMITED_ERROR, decision.resetSeconds(), decision);
    }

    /** Whether the request may go on. */
    boolean admitted() {
        return refusal == null;
    }

    /** How the metrics count a refusal ({@link Outcome#OK} when admitted). */
    Outcome outcome() {
        if (refusal == null) {
            return Outcome.OK;
        }
        if (refusal == BearerErrors.ADDRESS_NOT_ALLOWED_ERROR) {
            return Outcome.ADDRESS_NOT_ALLOWED;
        }
        return refusal == BearerErrors.RATE_LIMITED_ERROR ? Outcome.RATE_LIMITED : Outcome.THROTTLED;
    }
}
