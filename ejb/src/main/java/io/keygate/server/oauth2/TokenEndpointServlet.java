package io.keygate.server.oauth2;

import io.keygate.config.ConfigLookup;
import io.keygate.server.KeygateRuntime;
import io.keygate.server.store.StoreUnavailableException;
import io.keygate.server.store.TokenStore;
import io.keygate.filter.FailureThrottle;
import jakarta.inject.Inject;
import jakarta.json.Json;
import jakarta.servlet.ServletException;
import jakarta.servlet.annotation.WebServlet;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.time.Duration;
import java.util.OptionalLong;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * {@code POST /keygate/oauth2/token}, RFC 6749 section 3.2: an API secret in, a short-lived bearer access token
 * out, {@code {"access_token", "token_type": "Bearer", "expires_in", "scope"}}. Access tokens have Keygate's
 * token format, so protected WARs accept them like any token; they are listed under the secret that issued them
 * ({@code GET /keygate/api/v1/tenants/{slug}/tokens/{id}/access-tokens}).
 */
@WebServlet(urlPatterns = "/oauth2/token", loadOnStartup = 1)
public class TokenEndpointServlet extends HttpServlet {

    private static final Logger LOG = Logger.getLogger(TokenEndpointServlet.class.getName());

    @Inject
    private KeygateRuntime runtime;

    private OAuthSettings settings;
    /** The brute-force throttle of protected WARs, with their default thresholds, per client address. */
    private final FailureThrottle throttle = new FailureThrottle(20, Duration.ofSeconds(60), System::nanoTime);

    @Override
    public void init() throws ServletException {
        try {
            settings = OAuthSettings.from(ConfigLookup.of(getClass().getClassLoader(), null)::get);
        } catch (IllegalArgumentException e) {
            throw new ServletException(e.getMessage(), e);
        }
    }

    @Override
    protected void doPost(HttpServletRequest request, HttpServletResponse response) throws IOException {
        boolean basic = request.getHeader("Authorization") != null;
        String client = request.getRemoteAddr();
        OptionalLong wait = throttle.retryAfter(client);
        if (wait.isPresent()) {
            response.setHeader("Retry-After", Long.toString(wait.getAsLong()));
            OAuthResponses.error(response, new OAuthError(429, "too_many_requests",
                    "Too many failed client authentications from this address; retry later"), false);
            return;
        }
        try {
            TokenStore.IssuedToken issued = new TokenExchange(runtime.tokens(), runtime.usage(), settings,
                    presented -> {
                        throttle.failed(client);
                        runtime.failures().failed(null, presented, client);
                    })
                    .exchange(FormRequest.of(request));
            long expiresIn = Duration.between(issued.token().getCreatedAt(), issued.token().getExpiresAt()).getSeconds();
            OAuthResponses.json(response, 200, Json.createObjectBuilder()
                    .add("access_token", issued.plaintext())
                    .add("token_type", "Bearer")
                    .add("expires_in", Math.max(0, expiresIn))
                    .add("scope", String.join(" ", new java.util.TreeSet<>(issued.token().getScopes())))
                    .build());
        } catch (OAuthException e) {
            OAuthResponses.error(response, e.error(), basic);
        } catch (StoreUnavailableException e) {
            // An outage is logged by the store, once; anything else is worth a stack trace.
            LOG.log(e.isConnectionLost() ? Level.FINE : Level.WARNING,
                    "Token store unavailable at the token endpoint", e);
            OAuthResponses.unavailable(response);
        }
    }
}
