package io.keygate.server.oauth2;

import io.keygate.filter.BearerChallenge;
import io.keygate.filter.BearerError;
import io.keygate.filter.BearerErrors;
import io.keygate.filter.BearerResolution;
import io.keygate.filter.BearerTokenResolver;
import io.keygate.server.KeygateRuntime;
import io.keygate.server.store.ApiToken;
import io.keygate.server.store.Verification;
import io.keygate.token.Scopes;
import io.keygate.token.TokenHash;
import jakarta.json.Json;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.time.Instant;
import java.util.Optional;

/**
 * Authenticates the callers of introspection ({@link IntrospectionServlet}) and of the verifier's HTTP binding
 * ({@code io.keygate.server.verify.VerifierServlet}): a bearer token with the {@code admin} or {@code introspect}
 * scope, since RFC 7662 section 2.1 requires the endpoint to be no oracle for guessed tokens. Refusals follow
 * RFC 6750 section 3 (400, 401 or 403 with a challenge); a wrong token counts as an authentication failure for the
 * audit log, and a caller's use counts like any use. The store being down propagates as
 * {@link io.keygate.server.store.StoreUnavailableException}: the caller answers 503.
 */
public final class IntrospectionCredential {

    private IntrospectionCredential() {
    }

    /** The caller's active admin or introspect token, or empty after answering 400/401/403. */
    public static Optional<ApiToken> authorize(KeygateRuntime runtime, HttpServletRequest request,
            HttpServletResponse response) throws IOException {
        BearerResolution resolution = new BearerTokenResolver().resolve(request);
        if (resolution instanceof BearerResolution.Absent) {
            return refuse(response, BearerErrors.TOKEN_REQUIRED_ERROR);
        }
        if (resolution instanceof BearerResolution.Malformed malformed) {
            return refuse(response, BearerErrors.invalidRequest(malformed.description()));
        }
        String token = ((BearerResolution.Token) resolution).value();
        if (!(runtime.tokens().verify(TokenHash.of(token)) instanceof Verification.Valid valid)) {
            runtime.failures().failed(null, token, request.getRemoteAddr());
            return refuse(response, BearerErrors.INVALID_TOKEN_ERROR);
        }
        ApiToken caller = valid.token();
        runtime.usage().record(caller.getId(), Instant.now());
        if (!valid.scopes().contains(Scopes.ADMIN) && !valid.scopes().contains(Scopes.INTROSPECT)) {
            return refuse(response, BearerErrors.insufficientScope(Scopes.INTROSPECT));
        }
        return Optional.of(caller);
    }

    /** Answers {@code error} as RFC 6750 section 3 says, with a JSON body; always empty. */
    public static Optional<ApiToken> refuse(HttpServletResponse response, BearerError error) throws IOException {
        String challenge = error.challenge() == BearerError.Challenge.BARE
                ? BearerChallenge.of("keygate") : BearerChallenge.of("keygate", error);
        response.setHeader("WWW-Authenticate", challenge);
        OAuthResponses.json(response, error.status(), Json.createObjectBuilder()
                .add("error", error.code()).add("error_description", error.description()).build());
        return Optional.empty();
    }
}
