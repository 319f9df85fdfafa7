package io.keygate.bearer;

import jakarta.servlet.http.HttpServletResponse;
import java.util.List;

/**
 * The one place that maps error codes to statuses and texts. Every non-pass-through answer of the filter is
 * one of these.
 *
 * <table>
 * <caption>Answers</caption>
 * <tr><th>answer</th><th>status</th><th>{@code error}</th><th>challenge</th></tr>
 * <tr><td>no bearer token</td><td>401</td><td>{@value #TOKEN_REQUIRED}</td><td>bare</td></tr>
 * <tr><td>malformed header</td><td>400</td><td>{@value #INVALID_REQUEST}</td><td>with error</td></tr>
 * <tr><td>unknown, revoked, bad checksum, tenant disabled, expired</td><td>401</td>
 * <td>{@value #INVALID_TOKEN}</td><td>with error</td></tr>
 * <tr><td>scope missing</td><td>403</td><td>{@value #INSUFFICIENT_SCOPE}</td><td>with error and scope</td></tr>
 * <tr><td>plain HTTP</td><td>403</td><td>{@value #HTTPS_REQUIRED}</td><td>none</td></tr>
 * <tr><td>verifier unavailable</td><td>503</td><td>{@value #TEMPORARILY_UNAVAILABLE}</td><td>none</td></tr>
 * <tr><td>client throttled after failures, token beyond its rate</td><td>429</td><td>{@code too_many_requests},
 * {@code rate_limit_exceeded}</td><td>none</td></tr>
 * <tr><td>client not on the token's address allowlist</td><td>403</td><td>{@code address_not_allowed}</td>
 * <td>none</td></tr>
 * </table>
 *
 * <p>The codes of <a href="https://www.rfc-editor.org/rfc/rfc6750#section-3.1">RFC 6750 section 3.1</a> are
 * used as the RFC defines them. A missing token gets no error code in the challenge (section 3.1: "the
 * resource server SHOULD NOT include an error code"); its body says {@value #TOKEN_REQUIRED}, named after the
 * status. {@value #TEMPORARILY_UNAVAILABLE} is borrowed from RFC 6749
 * section 4.1.2.1. Unknown, revoked, bad-checksum and disabled-tenant tokens share {@link #INVALID_TOKEN_ERROR},
 * so their answers are identical byte for byte and tell an attacker nothing.
 */
public final class BearerErrors {

    public static final String INVALID_REQUEST = "invalid_request";
    public static final String INVALID_TOKEN = "invalid_token";
    public static final String INSUFFICIENT_SCOPE = "insufficient_scope";
    public static final String TOKEN_REQUIRED = "unauthorized";
    public static final String HTTPS_REQUIRED = "https_required";
    public static final String TEMPORARILY_UNAVAILABLE = "temporarily_unavailable";

    /** Seconds in the {@code Retry-After} of a 503: about the time a redeployment of keygate.war takes. */
    public static final int RETRY_AFTER_SECONDS = 5;

    /** 401, bare challenge: the request carried no bearer token. */
    public static final BearerError TOKEN_REQUIRED_ERROR = new BearerError(HttpServletResponse.SC_UNAUTHORIZED,
            TOKEN_REQUIRED, "A bearer token is required", null, BearerError.Challenge.BARE);
    /** 401 for every token that is not valid, whatever the reason (except expiry). */
    public static final BearerError INVALID_TOKEN_ERROR = new BearerError(HttpServletResponse.SC_UNAUTHORIZED,
            INVALID_TOKEN, "The access token is invalid", null, BearerError.Challenge.WITH_ERROR);
    /** 401 for a token that was valid and expired; RFC 6750 section 3.1 allows saying so. */
    public static final BearerError EXPIRED_TOKEN_ERROR = new BearerError(HttpServletResponse.SC_UNAUTHORIZED,
            INVALID_TOKEN, "The access token expired", null, BearerError.Challenge.WITH_ERROR);
    /** 403 without challenge: plain HTTP where HTTPS is required (RFC 6750 section 5.3: always TLS). */
    public static final BearerError HTTPS_REQUIRED_ERROR = new BearerError(HttpServletResponse.SC_FORBIDDEN,
            HTTPS_REQUIRED, "HTTPS is required", null, BearerError.Challenge.NONE);
    /** 503 without challenge: the verifier could not answer; not the client's fault, so never a 401. */
    public static final BearerError UNAVAILABLE_ERROR = new BearerError(
            HttpServletResponse.SC_SERVICE_UNAVAILABLE, TEMPORARILY_UNAVAILABLE,
            "The token verifier is not available, retry later", null, BearerError.Challenge.NONE);

    /** 429 without challenge: this client address failed to authenticate too often (RFC 6585 section 4). */
    public static final BearerError TOO_MANY_FAILURES_ERROR = new BearerError(429, "too_many_requests",
            "Too many failed authentications from this address, retry later", null, BearerError.Challenge.NONE);
    /** 429 without challenge: the token's own request rate limit is spent for this window. */
    public static final BearerError RATE_LIMITED_ERROR = new BearerError(429, "rate_limit_exceeded",
            "The request rate limit of this token is exceeded, retry later", null, BearerError.Challenge.NONE);
    /** 403 without challenge: the token has an address allowlist and the client is not on it. */
    public static final BearerError ADDRESS_NOT_ALLOWED_ERROR = new BearerError(
            HttpServletResponse.SC_FORBIDDEN, "address_not_allowed",
            "This token may not be used from this address", null, BearerError.Challenge.NONE);

    /**
     * Every answer above, whose text is fixed: a writer builds each one's challenge and body once, when it starts.
     * Only {@link #invalidRequest} and {@link #insufficientScope} carry a text of the request.
     */
    public static final List<BearerError> FIXED = List.of(TOKEN_REQUIRED_ERROR, INVALID_TOKEN_ERROR,
            EXPIRED_TOKEN_ERROR, HTTPS_REQUIRED_ERROR, UNAVAILABLE_ERROR, TOO_MANY_FAILURES_ERROR,
            RATE_LIMITED_ERROR, ADDRESS_NOT_ALLOWED_ERROR);

    private BearerErrors() {
    }

    /** 400 with the resolver's description (RFC 6750 section 3.1, {@code invalid_request}). */
    public static BearerError invalidRequest(String description) {
        return new BearerError(HttpServletResponse.SC_BAD_REQUEST, INVALID_REQUEST, description, null,
                BearerError.Challenge.WITH_ERROR);
    }

    /** 403 naming the scope the request needs (RFC 6750 section 3.1, {@code insufficient_scope}). */
    public static BearerError insufficientScope(String scope) {
        return new BearerError(HttpServletResponse.SC_FORBIDDEN, INSUFFICIENT_SCOPE,
                "The access token does not have the scope " + scope, scope, BearerError.Challenge.WITH_ERROR);
    }
}
