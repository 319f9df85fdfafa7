package io.keygate.server.oauth2;

import io.keygate.server.access.BearerCaller;
import io.keygate.server.http.ErrorWriter;
import io.keygate.server.store.ApiToken;
import io.keygate.server.store.StoreUnavailableException;
import io.keygate.server.store.TokenStore;
import io.keygate.server.store.Verification;
import io.keygate.token.Scopes;
import io.keygate.token.TokenFormat;
import io.keygate.token.TokenHash;
import jakarta.inject.Inject;
import jakarta.json.Json;
import jakarta.json.JsonObject;
import jakarta.json.JsonObjectBuilder;
import jakarta.servlet.annotation.WebServlet;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.List;
import java.util.Optional;
import java.util.TreeSet;

/**
 * {@code POST /keygate/oauth2/introspect}, RFC 7662: what a token is, for resource servers that cannot call the
 * verifier in-process (such as a protected WAR on another server). The caller authenticates with a bearer token
 * that has the {@code admin} or {@code introspect} scope (section 2.1 requires authorization, so that the
 * endpoint is no oracle for guessed tokens), checked by {@link BearerCaller}: an access token is refused, and the
 * caller's address allowlist and rate limit apply. A tenant-bound caller sees its own tenant's tokens only; any other
 * token, and anything not valid, is {@code {"active": false}} (section 2.2).
 */
@WebServlet("/oauth2/introspect")
public class IntrospectionServlet extends HttpServlet {

    @Inject
    private BearerCaller callers;

    @Inject
    private TokenStore tokens;

    private static final JsonObject INACTIVE = Json.createObjectBuilder().add("active", false).build();

    /** The scopes that let a caller introspect; the first is the one a refusal names. */
    private static final List<String> INTROSPECTORS = List.of(Scopes.INTROSPECT, Scopes.ADMIN);

    @Override
    protected void doPost(HttpServletRequest request, HttpServletResponse response) throws IOException {
        try {
            introspect(request, response);
        } catch (OAuthException e) {
            e.error().writeTo(response, false);
        } catch (StoreUnavailableException e) {
            ErrorWriter.oauthUnavailable(response);
        }
    }

    /** Section 2.2 for an admitted caller; a refused one has its answer from {@link BearerCaller}. */
    private void introspect(HttpServletRequest request, HttpServletResponse response)
            throws IOException, OAuthException {
        Optional<BearerCaller.Admitted> caller = callers.admit(request, response, INTROSPECTORS);
        if (caller.isPresent()) {
            caller.get().headers().forEach(response::setHeader);
            ErrorWriter.ok(response, describe(FormRequest.of(request).required("token"), caller.get().token()));
        }
    }

    private JsonObject describe(String token, ApiToken caller) {
        if (!TokenFormat.isWellFormed(token)
                || !(tokens.verify(TokenHash.of(token)) instanceof Verification.Valid valid)) {
            return INACTIVE;
        }
        ApiToken described = valid.token();
        if (caller.getTenantSlug() != null && !caller.getTenantSlug().equals(described.getTenantSlug())) {
            return INACTIVE;
        }
        JsonObjectBuilder json = Json.createObjectBuilder()
                .add("active", true)
                .add("scope", String.join(" ", new TreeSet<>(valid.scopes())))
                .add("client_id", described.getParentId() != null ? described.getParentId() : described.getId())
                .add("username", described.principalName())
                .add("token_type", "Bearer")
                .add("iat", described.getCreatedAt().getEpochSecond());
        if (valid.expiresAt() != null) {
            json.add("exp", valid.expiresAt().getEpochSecond());
        }
        if (described.getTenantSlug() != null) {
            json.add("tenant", described.getTenantSlug());
        }
        return json.build();
    }
}
