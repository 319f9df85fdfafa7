package io.keygate.server.oauth2;

import io.keygate.server.access.ClientAddress;
import io.keygate.server.access.FailedAuthentications;
import io.keygate.server.http.ErrorWriter;
import io.keygate.server.service.StoreWrites;
import io.keygate.server.store.StoreUnavailableException;
import io.keygate.token.TokenFormat;
import io.keygate.token.TokenHash;
import jakarta.inject.Inject;
import jakarta.servlet.annotation.WebServlet;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;

/**
 * {@code POST /keygate/oauth2/revoke}, RFC 7009: form parameter {@code token}, no other credential. Whoever holds
 * a token can revoke it, so a leaked token is killed by whoever finds it (as GitHub does for tokens reported by
 * secret scanning). The answer is 200 whether or not the token existed (section 2.2): it reveals nothing.
 * Revoking an API secret revokes the access tokens it issued.
 *
 * <p>Only a revocation that changed the token is published to the filters ({@link StoreWrites#revokeByHash}):
 * revoking a revoked token again changes nothing, and must not make every filter on every server catch up, so a
 * holder of one token cannot send every protected request to the store by looping here. A well-formed token that
 * revokes nothing (unknown, or revoked already) still cost a store query, so it counts as a failed authentication
 * of the client address (derived through the trusted proxies) in the brute-force throttle of the token endpoint
 * ({@code ClientThrottle}) and in the failure summaries of the audit log; the answer is 200 all the same. A
 * throttled client gets 429 with {@code Retry-After} before any store query.
 */
@WebServlet("/oauth2/revoke")
public class RevocationServlet extends HttpServlet {

    @Inject
    private FailedAuthentications failures;

    @Inject
    private StoreWrites writes;

    @Override
    protected void doPost(HttpServletRequest request, HttpServletResponse response) throws IOException {
        ClientAddress client = ClientAddress.of(request);
        if (OAuthError.throttled(failures.retryAfter(client), response)) {
            return;
        }
        try {
            String token = FormRequest.of(request).required("token");
            if (TokenFormat.isWellFormed(token)) {
                // The filters' caches forget the token, and the access tokens it issued, before the answer. An
                // invented token, or one revoked already, cost a store query and revoked nothing: the client pays
                // for it like a wrong secret.
                if (writes.revokeByHash(TokenHash.of(token)).isEmpty()) {
                    failures.failed(client, null, token);
                }
            }
            response.setStatus(200);
            response.setHeader("Cache-Control", "no-store");
            response.setContentLength(0);
        } catch (OAuthException e) {
            e.error().writeTo(response, false);
        } catch (StoreUnavailableException e) {
            ErrorWriter.oauthUnavailable(response);
        }
    }
}
