package io.keygate.filter;

import io.keygate.bearer.BearerError;
import io.keygate.bearer.BearerErrors;
import io.keygate.bearer.BearerResolution;
import io.keygate.bearer.BearerTokenResolver;
import io.keygate.filter.handover.FailureHandOver;
import io.keygate.filter.handover.FailureTally;
import io.keygate.filter.handover.UsageHandOver;
import io.keygate.filter.remote.RemoteSettings;
import io.keygate.filter.remote.VerifierOverHttp;
import io.keygate.metrics.Outcome;
import io.keygate.token.Scopes;
import io.keygate.token.TokenFormat;
import io.keygate.transport.TransportSecurity;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpFilter;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.net.InetAddress;
import java.util.Optional;
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
 * to a public path cost a verifier call only until the throttle stops them ({@link PublicPathAuthentication});</li>
 * <li>on a protected path, {@link BearerTokenResolver} reads the header (none: 401 with a bare challenge;
 * malformed: 400), {@link TokenFormat} checks the checksum without asking anyone (401), {@link Verdicts}
 * gives the verdict from its cache or from the verifier (invalid or expired: 401; no verdict: 503) and
 * {@link RequestLimits} the brute-force throttle (a client that failed too often: 429 before its token is looked
 * at) and the token's own limits (address allowlist: 403; rate: 429), {@link ScopePolicy} the scope the request
 * needs (missing: 403); then the application gets an {@link AuthenticatedRequest}.</li>
 * </ol>
 * Every answer is written by {@link ErrorResponseWriter}, from {@link BearerErrors} or from a refusal of
 * {@link RequestLimits}, which decides and writes nothing. The client address is worked out once, by the first step
 * that needs it ({@link TransportSecurity} decides it), and handed to the next; on the hot path (HTTPS, a valid token,
 * the throttle idle) no step needs it. Each request with a valid
 * token, cached or not, is counted by {@link UsageHandOver}, which hands the counts to the verifier every second
 * on the filter's own scheduler ({@link FilterJobs}) and once more in {@link #destroy()}; every failed authentication is
 * counted by {@link RequestLimits} in a {@link FailureTally}, handed over the same way by {@link FailureHandOver}
 * for the audit log. How each request that needed a token ended is counted for the server's metrics
 * ({@link io.keygate.metrics.Outcome}, one {@link java.util.concurrent.atomic.LongAdder} increment); a request refused
 * for plain HTTP never got that far and is not counted.
 *
 * <p>Where {@code keygate.war} is not on the same server, {@code keygate.remote.url} and
 * {@code keygate.remote.token} make the filter ask it over HTTP ({@link RemoteSettings}, {@link VerifierOverHttp});
 * everything else works the same. {@link FilterParts} wires all these from the configuration in {@link #init()}.
 */
public class KeygateFilter extends HttpFilter {

    private final BearerTokenResolver resolver = new BearerTokenResolver();
    private final PublicPathAuthentication publicPaths = new PublicPathAuthentication(resolver);
    /** Everything a request reads, built together in {@link #init()} and read once per request. */
    private volatile FilterParts parts;

    /** What the server uses: settings come from {@link #init()}, the verifier from JNDI. */
    public KeygateFilter() {
    }

    /** For tests: fixed settings and verifier, the system clock, usage handed over on requests. */
    KeygateFilter(FilterSettings settings, VerifierClient verifier) {
        this(settings, verifier, System::currentTimeMillis);
    }

    /** For tests: fixed settings, verifier and clock (epoch milliseconds), usage handed over on requests. */
    KeygateFilter(FilterSettings settings, VerifierClient verifier, LongSupplier clock) {
        this.parts = FilterParts.wire(settings, verifier, clock, settings.realm(), null);
    }

    @Override
    public void init() throws ServletException {
        if (parts == null) {
            parts = FilterParts.start(getServletContext(), this::parameter);
        }
    }

    /**
     * Hands the last usage counts over and lets requests still in the filter have their answer, within a bound
     * ({@link FilterParts#close()}): the application is being undeployed.
     */
    @Override
    public void destroy() {
        FilterParts current = parts;
        if (current == null) {
            return;
        }
        current.close();
    }

    @Override
    protected void doFilter(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws IOException, ServletException {
        FilterParts parts = this.parts;
        HttpServletRequest admitted;
        parts.requests().enter();
        try {
            admitted = admit(parts, request, response);
        } finally {
            parts.requests().leave();
        }
        if (admitted != null) {
            chain.doFilter(admitted, response);
        }
    }

    /**
     * The filter's own work on a request: what the application gets (authenticated, or as it came on a public path),
     * or {@code null} once the filter has answered it. {@link #destroy()} waits for requests still in here.
     */
    private HttpServletRequest admit(FilterParts parts, HttpServletRequest request, HttpServletResponse response)
            throws IOException {
        Optional<InetAddress> client = null; // worked out by the first step that needs it
        if (!parts.transport().isAcceptableFromAnyClient(request)) {
            client = parts.transport().clientAddress(request);
            if (!parts.transport().exemptsPlainHttp(request, client)) {
                parts.errors().write(response, BearerErrors.HTTPS_REQUIRED_ERROR);
                return null;
            }
        }
        RequestPath path = RequestPath.of(request.getServletPath(), request.getPathInfo());
        if (parts.settings().isPublic(path)) {
            return publicPaths.authenticate(parts, request, client);
        }
        BearerResolution resolution = resolver.resolve(request);
        String presented = resolution instanceof BearerResolution.Token token ? token.value() : null;
        if (!(resolution instanceof BearerResolution.Absent) && parts.limits().mayThrottle()) {
            client = parts.limits().client(request, client);
            Admission throttled = parts.limits().throttled(client, presented);
            if (!throttled.admitted()) {
                parts.refuse(response, throttled);
                return null;
            }
        }
        if (resolution instanceof BearerResolution.Malformed malformed) {
            failAuthentication(parts, request, client, response,
                    BearerErrors.invalidRequest(malformed.description()), null, FailureTally.Reason.MALFORMED,
                    Outcome.INVALID);
            return null;
        }
        if (presented == null) {
            parts.refuse(response, BearerErrors.TOKEN_REQUIRED_ERROR, Outcome.MISSING);
            return null;
        }
        if (!TokenFormat.isWellFormed(presented)) {
            failAuthentication(parts, request, client, response, BearerErrors.INVALID_TOKEN_ERROR, presented,
                    FailureTally.Reason.CHECKSUM, Outcome.INVALID);
            return null;
        }
        VerificationResult result = parts.verdict(presented);
        if (result instanceof VerificationResult.Unavailable) {
            parts.refuse(response, BearerErrors.UNAVAILABLE_ERROR, Outcome.UNAVAILABLE);
            return null;
        }
        if (!(result instanceof VerificationResult.Valid valid)) {
            failAuthentication(parts, request, client, response, result.refusal(), presented,
                    result.failureReason(), result.outcome());
            return null;
        }
        Admission admission = parts.limits().admit(valid.token(), presented, request, client);
        if (!admission.admitted()) {
            parts.refuse(response, admission);
            return null;
        }
        parts.errors().writeLimits(response, admission);
        for (String scope : parts.settings().scopePolicy().requiredScopes(request.getMethod(), path)) {
            if (!Scopes.satisfies(valid.token().scopes(), scope)) {
                parts.refuse(response, BearerErrors.insufficientScope(scope), Outcome.INSUFFICIENT_SCOPE);
                return null;
            }
        }
        parts.count(Outcome.OK);
        return AuthenticatedRequest.authenticate(request, valid);
    }

    /**
     * Answers a failed authentication and counts it against the client for the brute-force throttle and the audit
     * log ({@code presented}: the token, or {@code null}; only its prefix is counted), and in the metrics.
     */
    private static void failAuthentication(FilterParts parts, HttpServletRequest request,
            Optional<InetAddress> client, HttpServletResponse response, BearerError error, String presented,
            FailureTally.Reason reason, Outcome outcome) throws IOException {
        parts.limits().failed(parts.limits().client(request, client), presented, reason);
        parts.refuse(response, error, outcome);
    }

    /** A filter init parameter, else a context parameter ({@code web.xml}): the weakest source. */
    private String parameter(String key) {
        String value = getInitParameter(key);
        return value != null ? value : getServletContext().getInitParameter(key);
    }

    /** For tests: the verdicts and their cache. */
    Verdicts verdicts() {
        return parts.verifier();
    }

    /** For tests: the counts this filter counts on now, its own or the verifier's. */
    io.keygate.metrics.VerificationCounts counts() {
        return parts.counts().get();
    }

    /** For tests: the failed authentications not yet handed over. */
    FailureHandOver failures() {
        return parts.failures();
    }
}
