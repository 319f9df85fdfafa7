package io.keygate.filter;

import io.keygate.config.ConfigLookup;
import io.keygate.token.Scopes;
import io.keygate.token.TokenFormat;
import io.keygate.token.TokenHash;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletContext;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpFilter;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;

/**
 * Requires a Keygate bearer token on every request of the WAR it is in, except its public paths. Registered
 * by the jar's {@code META-INF/web-fragment.xml} on {@code /*}, so adding {@code keygate-filter.jar} to
 * {@code WEB-INF/lib} is all a WAR needs; configuration is in {@link FilterSettings}.
 *
 * <p>This class only coordinates, in this order:
 * <ol>
 * <li>{@link TransportSecurity}: plain HTTP where HTTPS is required is 403, before any token is looked at;</li>
 * <li>a public path passes in every case; a valid token on it still authenticates the request, anything
 * else (no token, a bad one, the verifier down) leaves it anonymous;</li>
 * <li>on a protected path, {@link BearerTokenResolver} reads the header (none: 401 with a bare challenge;
 * malformed: 400), {@link TokenFormat} checks the checksum without asking anyone (401), {@link VerifierClient}
 * gives the verdict (invalid or expired: 401; no verdict: 503) and {@link ScopePolicy} the scope the request
 * needs (missing: 403); then the application gets an {@link AuthenticatedRequest}.</li>
 * </ol>
 * Every answer is written by {@link ErrorResponseWriter} from {@link BearerErrors}.
 */
public class KeygateFilter extends HttpFilter {

    private final BearerTokenResolver resolver = new BearerTokenResolver();
    private volatile FilterSettings settings;
    private volatile VerifierClient verifier;
    private volatile TransportSecurity transport;
    private volatile ErrorResponseWriter errors;

    /** What the server uses: settings come from {@link #init()}, the verifier from JNDI. */
    public KeygateFilter() {
    }

    /** For tests: fixed settings and verifier, no {@code init} needed. */
    KeygateFilter(FilterSettings settings, VerifierClient verifier) {
        configure(settings, verifier);
    }

    @Override
    public void init() throws ServletException {
        if (settings != null) {
            return;
        }
        ServletContext context = getServletContext();
        FilterSettings read;
        try {
            read = FilterSettings.read(ConfigLookup.of(context.getClassLoader(), this::parameter),
                    context.getContextPath());
        } catch (RuntimeException e) {
            throw new ServletException("Cannot read the Keygate configuration: " + e.getMessage(), e);
        }
        configure(read, new VerifierClient(VerifierClient.JNDI));
        context.log("Keygate protects " + context.getContextPath() + "/ with public paths " + read.publicPaths()
                + " and scope rules " + read.scopePolicy());
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
        if (resolution instanceof BearerResolution.Malformed malformed) {
            errors.write(response, BearerErrors.invalidRequest(malformed.description()));
            return;
        }
        if (!(resolution instanceof BearerResolution.Token token)) {
            errors.write(response, BearerErrors.TOKEN_REQUIRED_ERROR);
            return;
        }
        if (!TokenFormat.isWellFormed(token.value())) {
            errors.write(response, BearerErrors.INVALID_TOKEN_ERROR);
            return;
        }
        VerificationResult result = verifier.verify(TokenHash.of(token.value()));
        if (!(result instanceof VerificationResult.Valid valid)) {
            errors.write(response, failure(result));
            return;
        }
        for (String scope : settings.scopePolicy().requiredScopes(request.getMethod(), path)) {
            if (!Scopes.satisfies(valid.token().scopes(), scope)) {
                errors.write(response, BearerErrors.insufficientScope(scope));
                return;
            }
        }
        chain.doFilter(AuthenticatedRequest.authenticate(request, valid.token()), response);
    }

    /** The request, authenticated when it carries a valid token; never an error (public paths). */
    private HttpServletRequest authenticateSilently(HttpServletRequest request) {
        if (resolver.resolve(request) instanceof BearerResolution.Token token && TokenFormat.isWellFormed(token.value())
                && verifier.verify(TokenHash.of(token.value())) instanceof VerificationResult.Valid valid) {
            return AuthenticatedRequest.authenticate(request, valid.token());
        }
        return request;
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

    private void configure(FilterSettings settings, VerifierClient verifier) {
        this.settings = settings;
        this.verifier = verifier;
        this.transport = settings.transportSecurity();
        this.errors = new ErrorResponseWriter(settings.realm());
    }
}
