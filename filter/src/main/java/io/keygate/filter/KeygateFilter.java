package io.keygate.filter;


import io.keygate.bearer.BearerError;
import io.keygate.bearer.BearerErrors;
import io.keygate.bearer.BearerResolution;
import io.keygate.bearer.BearerTokenResolver;
import io.keygate.transport.TransportSecurity;

import io.keygate.token.Scopes;
import io.keygate.token.TokenFormat;
import io.keygate.token.TokenHash;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpFilter;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.Map;
import java.util.OptionalLong;
import java.util.function.LongSupplier;

/**
 * Requires a Keygate bearer token on every request of the WAR it is in, except its public paths. Registered
 * by the jar's {@code META-INF/web-fragment.xml} on {@code /*}, so adding {@code keygate-filter.jar} to
 * {@code WEB-INF/lib} is all a WAR needs; configuration is in {@link FilterSettings}.
 *
 * <p>This class only coordinates, in this order:
 * <ol>
 * <li>{@link TransportSecurity}: plain HTTP where HTTPS is required is 403, before any token is looked at;</li>
 * <li>a public path passes in every case; a valid token on it still authenticates the request within its address
 * allowlist and rate limit, anything else (no token, a bad one, the verifier down, a client the brute-force
 * throttle holds back, a token beyond its limits) leaves it anonymous.
 * A credential that fails there counts against its client exactly as on a protected path, so invented tokens sent
 * to a public path cost a verifier call only until the throttle stops them;</li>
 * <li>on a protected path, {@link BearerTokenResolver} reads the header (none: 401 with a bare challenge;
 * malformed: 400), {@link TokenFormat} checks the checksum without asking anyone (401), {@link CachingVerifier}
 * gives the verdict from its cache or from the verifier (invalid or expired: 401; no verdict: 503) and
 * {@link RequestLimits} the brute-force throttle (a client that failed too often: 429 before its token is looked
 * at) and the token's own limits (address allowlist: 403; rate: 429), {@link ScopePolicy} the scope the request
 * needs (missing: 403); then the application gets an {@link AuthenticatedRequest}.</li>
 * </ol>
 * Every answer is written by {@link ErrorResponseWriter} from {@link BearerErrors}. Each request with a valid
 * token, cached or not, is counted by {@link UsageHandOver}, which hands the counts to the verifier every second
 * on the server's default managed scheduler and once more in {@link #destroy()}; every failed authentication is
 * counted by {@link RequestLimits} in a {@link FailureTally}, handed over the same way by {@link FailureHandOver}
 * for the audit log.
 *
 * <p>Where {@code keygate.war} is not on the same server, {@code keygate.remote.url} and
 * {@code keygate.remote.token} make the filter ask it over HTTP ({@link RemoteSettings}, {@link RemoteVerifier});
 * everything else works the same. {@link FilterParts} wires all these from the configuration in {@link #init()}.
 */
public class KeygateFilter extends HttpFilter {

    private final BearerTokenResolver resolver = new BearerTokenResolver();
    private volatile FilterSettings settings;
    private volatile CachingVerifier verifier;
    private volatile UsageHandOver usage;
    private volatile FailureHandOver failures;
    private volatile LongSupplier clock;
    private volatile TransportSecurity transport;
    private volatile ErrorResponseWriter errors;
    private volatile RequestLimits limits;
    /** In remote mode, the HTTP verifier whose polling {@link #destroy()} stops; otherwise {@code null}. */
    private volatile RemoteVerifier remote;

    /** What the server uses: settings come from {@link #init()}, the verifier from JNDI. */
    public KeygateFilter() {
    }

    /** For tests: fixed settings and verifier, the system clock, usage handed over on requests. */
    KeygateFilter(FilterSettings settings, VerifierClient verifier) {
        this(settings, verifier, System::currentTimeMillis);
    }

    /** For tests: fixed settings, verifier and clock (epoch milliseconds), usage handed over on requests. */
    KeygateFilter(FilterSettings settings, VerifierClient verifier, LongSupplier clock) {
        install(FilterParts.wire(settings, verifier, clock, settings.realm(), null));
    }

    @Override
    public void init() throws ServletException {
        if (settings != null) {
            return;
        }
        install(FilterParts.start(getServletContext(), this::parameter));
    }

    /** Hands the last usage counts over: the application is being undeployed. */
    @Override
    public void destroy() {
        UsageHandOver current = usage;
        if (current != null) {
            current.close();
        }
        if (failures != null) {
            failures.close();
        }
        if (remote != null) {
            remote.close();
        }
    }

    @Override
    protected void doFilter(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws IOException, ServletException {
        if (!transport.isAcceptable(request)) {
            errors.write(response, BearerErrors.HTTPS_REQUIRED_ERROR);
            return;
        }
        RequestPath path = RequestPath.of(request.getServletPath(), request.getPathInfo());
        if (settings.isPublic(path)) {
            chain.doFilter(authenticateSilently(request), response);
            return;
        }
        BearerResolution resolution = resolver.resolve(request);
        if (!(resolution instanceof BearerResolution.Absent)) {
            OptionalLong wait = limits.throttled(request,
                    resolution instanceof BearerResolution.Token presented ? presented.value() : null);
            if (wait.isPresent()) {
                errors.write(response, BearerErrors.TOO_MANY_FAILURES_ERROR,
                        Map.of(ErrorResponseWriter.RETRY_AFTER, Long.toString(wait.getAsLong())));
                return;
            }
        }
        if (resolution instanceof BearerResolution.Malformed malformed) {
            refuse(request, response, BearerErrors.invalidRequest(malformed.description()), null,
                    FailureTally.Reason.MALFORMED);
            return;
        }
        if (!(resolution instanceof BearerResolution.Token token)) {
            errors.write(response, BearerErrors.TOKEN_REQUIRED_ERROR);
            return;
        }
        if (!TokenFormat.isWellFormed(token.value())) {
            refuse(request, response, BearerErrors.INVALID_TOKEN_ERROR, token.value(), FailureTally.Reason.CHECKSUM);
            return;
        }
        VerificationResult result = verify(token.value());
        if (!(result instanceof VerificationResult.Valid valid)) {
            if (result instanceof VerificationResult.Unavailable) {
                errors.write(response, BearerErrors.UNAVAILABLE_ERROR);
            } else {
                refuse(request, response, failure(result), token.value(),
                        result instanceof VerificationResult.Expired ? FailureTally.Reason.EXPIRED
                                : FailureTally.Reason.INVALID);
            }
            return;
        }
        if (!limits.admit(request, response, valid.token(), token.value(), errors)) {
            return;
        }
        for (String scope : settings.scopePolicy().requiredScopes(request.getMethod(), path)) {
            if (!Scopes.satisfies(valid.token().scopes(), scope)) {
                errors.write(response, BearerErrors.insufficientScope(scope));
                return;
            }
        }
        chain.doFilter(AuthenticatedRequest.authenticate(request, valid), response);
    }

    /**
     * Answers a failed authentication and counts it against the client for the brute-force throttle and the audit
     * log ({@code presented}: the token, or {@code null}; only its prefix is counted).
     */
    private void refuse(HttpServletRequest request, HttpServletResponse response, BearerError error, String presented,
            FailureTally.Reason reason) throws IOException {
        limits.failed(request, presented, reason);
        errors.write(response, error);
    }

    /**
     * The request, authenticated when it carries a valid token; never an error (public paths). A presented
     * credential is throttled and counted as on a protected path: a throttled client is left anonymous without a
     * verifier call, and each failure counts towards the throttle and the audit log (OWASP API4:2023), so a public
     * path is no free oracle for guessed tokens. A valid token meets its own limits as on a protected path: used
     * from outside its address allowlist or beyond its rate limit (one request of it spent, as there), it leaves the
     * request anonymous instead of refusing it, so a public path never fails because of Keygate and never serves a
     * token more than its limit. A request without credentials costs nothing of this.
     */
    private HttpServletRequest authenticateSilently(HttpServletRequest request) {
        BearerResolution resolution = resolver.resolve(request);
        if (resolution instanceof BearerResolution.Absent) {
            return request;
        }
        String presented = resolution instanceof BearerResolution.Token token ? token.value() : null;
        if (limits.throttled(request, presented).isPresent()) {
            return request;
        }
        if (presented == null) {
            limits.failed(request, null, FailureTally.Reason.MALFORMED);
            return request;
        }
        if (!TokenFormat.isWellFormed(presented)) {
            limits.failed(request, presented, FailureTally.Reason.CHECKSUM);
            return request;
        }
        VerificationResult result = verify(presented);
        if (result instanceof VerificationResult.Valid valid) {
            return limits.fromAllowedAddress(request, valid.token(), presented) && limits.withinRate(valid.token())
                    ? AuthenticatedRequest.authenticate(request, valid) : request;
        }
        if (result instanceof VerificationResult.Invalid) {
            limits.failed(request, presented, FailureTally.Reason.INVALID);
        } else if (result instanceof VerificationResult.Expired) {
            limits.failed(request, presented, FailureTally.Reason.EXPIRED);
        }
        return request; // Unavailable: no verdict is no failure
    }

    /** The verdict on a well-formed token; a valid one is a use of it. */
    private VerificationResult verify(String token) {
        VerificationResult result = verifier.verify(TokenHash.of(token));
        if (result instanceof VerificationResult.Valid valid) {
            usage.count(valid.token().tokenId(), clock.getAsLong());
        }
        return result;
    }

    private static BearerError failure(VerificationResult result) {
        if (result instanceof VerificationResult.Expired) {
            return BearerErrors.EXPIRED_TOKEN_ERROR;
        }
        if (result instanceof VerificationResult.Invalid) {
            return BearerErrors.INVALID_TOKEN_ERROR;
        }
        return BearerErrors.UNAVAILABLE_ERROR;
    }

    /** A filter init parameter, else a context parameter ({@code web.xml}): the weakest source. */
    private String parameter(String key) {
        String value = getInitParameter(key);
        return value != null ? value : getServletContext().getInitParameter(key);
    }

    /** For tests: the verdicts and their cache. */
    CachingVerifier verdicts() {
        return verifier;
    }

    /** For tests: the failed authentications not yet handed over. */
    FailureHandOver failures() {
        return failures;
    }

    /** Copies the parts into this filter's fields, where a request reads them. */
    private void install(FilterParts parts) {
        this.settings = parts.settings();
        this.clock = parts.clock();
        this.verifier = parts.verifier();
        this.usage = parts.usage();
        this.transport = parts.transport();
        this.errors = parts.errors();
        this.failures = parts.failures();
        this.limits = parts.limits();
        this.remote = parts.remote();
    }
}
