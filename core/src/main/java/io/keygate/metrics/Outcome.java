package io.keygate.metrics;

/**
 * How the filter decided on a request that needed a token, as {@code keygate_verifications_total} counts it. The
 * client never learns more than its RFC 6750 answer says: {@link #REVOKED} and {@link #INVALID} get the same 401, and
 * only the operator's metrics tell them apart.
 */
public enum Outcome {
    /** A valid token within its limits and scopes: the request reached the application. */
    OK,
    /** No {@code Authorization: Bearer} on a protected path (401 with a bare challenge). */
    MISSING,
    /** Malformed, a bad checksum, unknown, or its tenant's API access is off (400 or 401). */
    INVALID,
    /**
     * A token an admin revoked, or an access token whose secret was revoked (401, as {@link #INVALID}). A token rotated
     * out is {@link #EXPIRED} once its grace period ends: that is how the rotation ends it.
     */
    REVOKED,
    /** Past its {@code expiresAt} (401). */
    EXPIRED,
    /** Valid, but without a scope the request needs (403 {@code insufficient_scope}). */
    INSUFFICIENT_SCOPE,
    /** Valid, but sent from outside its {@code allowedAddresses} (403). */
    ADDRESS_NOT_ALLOWED,
    /** The client failed too often: refused before its token was looked at (429 {@code too_many_requests}). */
    THROTTLED,
    /** Beyond the token's own {@code rateLimit} (429 {@code rate_limit_exceeded}). */
    RATE_LIMITED,
    /** No verdict could be had: {@code keygate.war} or its store did not answer (503). */
    UNAVAILABLE;

    /** The label value in the metrics: the name in lower case, {@code insufficient_scope} and so on. */
    public String label() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
