package io.keygate.server.oauth2;

import io.keygate.server.store.ApiToken;
import io.keygate.server.store.TokenStore;
import io.keygate.server.store.Verification;
import io.keygate.server.usage.UsageCounter;
import io.keygate.token.Scopes;
import io.keygate.token.TokenFormat;
import io.keygate.token.TokenHash;
import java.time.Instant;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.Set;
import java.util.function.Consumer;

/**
 * Exchanges an API secret for a short-lived access token (RFC 6749): {@code client_credentials} (section 4.4)
 * with the token's id as client id and the token as client secret, or {@code password} (section 4.3) with the
 * token's owner (or id, when it has none) as username and the token as password.
 *
 * <p>A secret that is unknown, revoked, expired, an access token itself, a global admin token, or whose tenant
 * is switched off is {@code invalid_client} (401). The access token carries the secret's tenant, owner and
 * scopes, or fewer when {@code scope} narrows them (section 3.3), and never outlives the secret.
 */
final class TokenExchange {

    private final TokenStore tokens;
    private final UsageCounter usage;
    private final OAuthSettings settings;
    private final Consumer<String> failed;

    /** @param failed told what was presented when a secret is refused, for the audit log's failure summaries */
    TokenExchange(TokenStore tokens, UsageCounter usage, OAuthSettings settings, Consumer<String> failed) {
        this.tokens = tokens;
        this.usage = usage;
        this.settings = settings;
        this.failed = failed;
    }

    TokenStore.IssuedToken exchange(FormRequest form) throws OAuthException {
        String grant = form.required("grant_type");
        ApiToken secret = switch (grant) {
            case "client_credentials" -> clientCredentials(form);
            case "password" -> password(form);
            default -> throw new OAuthException(OAuthError.unsupportedGrantType("grant_type must be"
                    + " client_credentials" + (settings.passwordGrant() ? " or password" : "")));
        };
        Set<String> scopes = narrowed(secret.getScopes(), form);
        return tokens.issueAccessToken(secret.getId(), scopes, settings.accessTokenLifetime())
                .orElseThrow(() -> new OAuthException(OAuthError.invalidClient("The client secret is not valid")));
    }

    private ApiToken clientCredentials(FormRequest form) throws OAuthException {
        ClientCredentials client = ClientCredentials.of(form).orElseThrow(() -> new OAuthException(
                OAuthError.invalidClient("Client authentication is required: client_id and client_secret,"
                        + " in the form or by HTTP Basic")));
        ApiToken secret = authenticate(client.secret());
        if (!secret.getId().equals(client.id())) {
            throw new OAuthException(OAuthError.invalidClient("The client secret is not valid"));
        }
        return secret;
    }

    private ApiToken password(FormRequest form) throws OAuthException {
        if (!settings.passwordGrant()) {
            throw new OAuthException(OAuthError.unsupportedGrantType("The password grant is switched off here"
                    + " (" + OAuthSettings.PASSWORD_GRANT + "); use client_credentials"));
        }
        String username = form.required("username");
        ApiToken secret = authenticate(form.required("password"));
        String expected = secret.getOwner() != null ? secret.getOwner() : secret.getId();
        if (!expected.equals(username)) {
            throw new OAuthException(OAuthError.invalidGrant("The username does not belong to this secret"));
        }
        return secret;
    }

    /** The active API secret behind {@code plaintext}, counted as one use. */
    private ApiToken authenticate(String plaintext) throws OAuthException {
        OAuthException invalid = new OAuthException(OAuthError.invalidClient("The client secret is not valid"));
        if (!TokenFormat.isWellFormed(plaintext)
                || !(tokens.verify(TokenHash.of(plaintext)) instanceof Verification.Valid valid)
                || valid.token().getTenantSlug() == null || valid.token().getParentId() != null) {
            failed.accept(plaintext);
            throw invalid;
        }
        ApiToken secret = valid.token();
        usage.record(secret.getId(), Instant.now());
        return secret;
    }

    /** Section 3.3: the requested scopes, each of which the secret must have ({@code write} covers {@code read}). */
    private static Set<String> narrowed(Set<String> granted, FormRequest form) throws OAuthException {
        String requested = form.get("scope").orElse(null);
        if (requested == null) {
            return granted;
        }
        Set<String> scopes = new LinkedHashSet<>(Arrays.asList(requested.trim().split(" +")));
        for (String scope : scopes) {
            if (!Scopes.isValidName(scope) || !Scopes.satisfies(granted, scope)) {
                throw new OAuthException(OAuthError.invalidScope("The secret does not grant the scope '"
                        + (Scopes.isValidName(scope) ? scope : "?") + "'"));
            }
        }
        return scopes;
    }
}
