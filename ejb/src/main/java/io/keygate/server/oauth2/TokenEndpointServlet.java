package io.keygate.server.oauth2;

import io.keygate.config.ConfigLookup;
import io.keygate.server.access.ClientAddress;
import io.keygate.server.access.ClientThrottle;
import io.keygate.server.access.FailedAuthentications;
import io.keygate.server.access.TokenLimitsGate;
import io.keygate.server.http.ErrorWriter;
import io.keygate.server.store.AccessTokens;
import io.keygate.server.store.StoreUnavailableException;
import io.keygate.server.store.TokenStore;
import io.keygate.server.store.Verification;
import io.keygate.server.usage.UsageCounter;
import jakarta.inject.Inject;
import jakarta.json.Json;
import jakarta.servlet.ServletException;
import jakarta.servlet.annotation.WebServlet;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.time.Duration;
import java.util.Map;
import java.util.OptionalLong;
import java.util.TreeSet;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * {@code POST /keygate/oauth2/token}, RFC 6749 section 3.2: an API secret in, a short-lived bearer access token
 * out, {@code {"access_token", "token_type": "Bearer", "expires_in", "scope"}}. Access tokens have Keygate's
 * token format, so protected WARs accept them like any token; they are listed under the secret that issued them
 * ({@code GET /keygate/api/v1/tenants/{slug}/tokens/{id}/access-tokens}).
 *
 * <p>The secret is a client like any other: the brute-force throttle ({@link ClientThrottle}, per client address
 * as derived through the trusted proxies and per client id) answers 429 before a secret is looked at, and a valid
 * secret obeys its {@code allowedAddresses} (403) and {@code rateLimit}, each exchange counting one request
 * (429 with {@code Retry-After}), as in a protected WAR.
 */
@WebServlet(urlPatterns = "/oauth2/token", loadOnStartup = 1)
public class TokenEndpointServlet extends HttpServlet {

    private static final Logger LOG = Logger.getLogger(TokenEndpointServlet.class.getName());

    @Inject
    private ConfigLookup config;

    private OAuthSettings settings;

    @Inject
    private FailedAuthentications failures;

    @Inject
    private TokenLimitsGate limits;

    @Inject
    private UsageCounter usage;

    @Inject
    private TokenStore tokens;

    @Inject
    private AccessTokens accessTokens;

    /** Reads the settings at deployment ({@code loadOnStartup}): a bad value fails it. */
    @Override
    public void init() throws ServletException {
        try {
            settings = OAuthSettings.from(config::get);
        } catch (IllegalArgumentException e) {
            throw new ServletException(e.getMessage(), e);
        }
    }

    @Override
    protected void doPost(HttpServletRequest request, HttpServletResponse response) throws IOException {
        boolean basic = request.getHeader("Authorization") != null;
        ClientAddress client = ClientAddress.of(request);
        if (OAuthError.throttled(failures.retryAfter(client), response)) {
            return;
        }
        try {
            ClientGuard guard = new ClientGuard(client);
            TokenStore.IssuedToken issued = new TokenExchange(tokens, accessTokens, usage, settings, guard).exchange(FormRequest.of(request));
            guard.admittedHeaders.forEach(response::setHeader);
            long expiresIn = Duration.between(issued.token().getCreatedAt(), issued.token().getExpiresAt()).getSeconds();
            ErrorWriter.ok(response, Json.createObjectBuilder()
                    .add("access_token", issued.plaintext())
                    .add("token_type", "Bearer")
                    .add("expires_in", Math.max(0, expiresIn))
                    .add("scope", String.join(" ", new TreeSet<>(issued.token().getScopes())))
                    .build());
        } catch (OAuthException e) {
            e.error().writeTo(response, basic);
        } catch (StoreUnavailableException e) {
            // An outage is logged by the store, once; anything else is worth a stack trace.
            LOG.log(e.isConnectionLost() ? Level.FINE : Level.WARNING,
                    "Token store unavailable at the token endpoint", e);
            ErrorWriter.oauthUnavailable(response);
        }
    }

    /** The throttle and the secret's limits, for one request from {@code client}. */
    private final class ClientGuard implements TokenExchange.Guard {

        private final ClientAddress client;
        /** Headers for the answer of an admitted exchange: the secret's {@code RateLimit-*}. */
        private Map<String, String> admittedHeaders = Map.of();

        ClientGuard(ClientAddress client) {
            this.client = client;
        }

        @Override
        public void mayTry(String clientId) throws OAuthException {
            OptionalLong wait = failures.retryAfter(client, clientId);
            if (wait.isPresent()) {
                throw new OAuthException(OAuthError.tooManyFailures(wait.getAsLong()));
            }
        }

        @Override
        public void failed(String clientId, String presented) {
            failures.failed(client, clientId, presented);
        }

        @Override
        public void admit(Verification.Valid secret, String clientId, String presented) throws OAuthException {
            TokenLimitsGate.Admission admission = limits.admit(secret.token().getId(), secret.limits(), client);
            if (!admission.admitted()) {
                if (admission.addressRefused()) {
                    failures.addressRefused(secret.token().getTenantSlug(), presented, client);
                }
                throw new OAuthException(OAuthError.of(admission.refusal(), admission.headers()));
            }
            failures.succeeded(client, clientId);
            admittedHeaders = admission.headers();
        }
    }
}
