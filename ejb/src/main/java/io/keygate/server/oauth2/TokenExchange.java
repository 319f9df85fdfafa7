package io.keygate.server.oauth2;

import io.keygate.server.store.AccessTokens;
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
import java.util.TreeSet;

/**
 * Exchanges an API secret for a short-lived access token (RFC 6749): {@code client_credentials} (section 4.4)
 * with the token's id as client id and the token as client secret, or {@code password} (section 4.3) with the
 * token's owner (or id, when it has none) as username and the token as password.
 *
 * <p>A secret that is unknown, revoked, expired, an access token itself, a global admin token, or whose tenant
 * is switched off is {@code invalid_client} (401). The access token carries the secret's tenant, owner and
 * scopes as the store says they are now, or fewer when {@code scope} narrows them (section 3.3), and never outlives
 * the secret. {@code admin} and {@code introspect} are never granted: they are left out of what a secret passes on,
 * asking for them is {@code invalid_scope}, and a secret with nothing else is {@code invalid_scope}. What the
 * client must wait for and what the secret's limits allow is the {@link Guard}'s to decide.
 */
final class TokenExchange {

    /** What the endpoint decides around the check of the secret: the brute-force throttle and the secret's limits. */
    interface Guard {

        /**
         * Before the secret of {@code clientId} is checked.
         *
         * @throws OAuthException 429 when this client address, or this client id from this address, must wait
         */
        void mayTry(String clientId) throws OAuthException;

        /** The secret presented for {@code clientId} is not valid ({@code presented}: only its prefix is kept). */
        void failed(String clientId, String presented);

        /**
         * The secret is valid and belongs to {@code clientId}: one exchange against its {@code rateLimit}, from an
         * address its {@code allowedAddresses} allow.
         *
         * @throws OAuthException 403 or 429, as a protected WAR's filter answers
         */
        void admit(Verification.Valid secret, String clientId, String presented) throws OAuthException;
    }

    private final TokenStore tokens;
    private final AccessTokens accessTokens;
    private final UsageCounter usage;
    private final OAuthSettings settings;
    private final Guard guard;

    TokenExchange(TokenStore tokens, AccessTokens accessTokens, UsageCounter usage, OAuthSettings settings,
            Guard guard) {
        this.tokens = tokens;
        this.accessTokens = accessTokens;
        this.usage = usage;
        this.settings = settings;
        this.guard = guard;
    }

    TokenStore.IssuedToken exchange(FormRequest form) throws OAuthException {
        String grant = form.required("grant_type");
        Verification.Valid secret = switch (grant) {
            case "client_credentials" -> clientCredentials(form);
            case "password" -> password(form);
            default -> throw new OAuthException(OAuthError.unsupportedGrantType("grant_type must be"
                    + " client_credentials" + (settings.passwordGrant() ? " or password" : "")));
        };
        Set<String> scopes = narrowed(grantable(secret.scopes()), form);
        return accessTokens.issueAccessToken(secret.token().getId(), scopes, settings.accessTokenLifetime())
                .orElseThrow(() -> new OAuthException(OAuthError.invalidClient("The client secret is not valid")));
    }

    private Verification.Valid clientCredentials(FormRequest form) throws OAuthException {
        ClientCredentials client = ClientCredentials.of(form).orElseThrow(() -> new OAuthException(
                OAuthError.invalidClient("Client authentication is required: client_id and client_secret,"
                        + " in the form or by HTTP Basic")));
        guard.mayTry(client.id());
        Verification.Valid secret = authenticate(client.id(), client.secret());
        if (!secret.token().getId().equals(client.id())) {
            // A real secret named under another client: a failed authentication like a wrong secret.
            guard.failed(client.id(), client.secret());
            throw new OAuthException(OAuthError.invalidClient("The client secret is not valid"));
        }
        guard.admit(secret, client.id(), client.secret());
        return secret;
    }

    private Verification.Valid password(FormRequest form) throws OAuthException {
        if (!settings.passwordGrant()) {
            throw new OAuthException(OAuthError.unsupportedGrantType("The password grant is switched off here"
                    + " (" + OAuthSettings.PASSWORD_GRANT + "); use client_credentials"));
        }
        String username = form.required("username");
        String password = form.required("password");
        String clientId = "username:" + username;
        guard.mayTry(clientId);
        Verification.Valid secret = authenticate(clientId, password);
        String expected = secret.token().getOwner() != null ? secret.token().getOwner() : secret.token().getId();
        if (!expected.equals(username)) {
            guard.failed(clientId, password);
            throw new OAuthException(OAuthError.invalidGrant("The username does not belong to this secret"));
        }
        guard.admit(secret, clientId, password);
        return secret;
    }

    /** The active API secret behind {@code plaintext}, counted as one use. */
    private Verification.Valid authenticate(String clientId, String plaintext) throws OAuthException {
        if (!TokenFormat.isWellFormed(plaintext)
                || !(tokens.verify(TokenHash.of(plaintext)) instanceof Verification.Valid valid)
                || valid.token().getTenantSlug() == null || valid.token().getParentId() != null) {
            guard.failed(clientId, plaintext);
            throw new OAuthException(OAuthError.invalidClient("The client secret is not valid"));
        }
        usage.record(valid.token().getId(), Instant.now());
        return valid;
    }

    /** What a secret with {@code scopes} may pass on: all but {@link Scopes#NEVER_GRANTED_TO_ACCESS_TOKENS}; never nothing. */
    static Set<String> grantable(Set<String> scopes) throws OAuthException {
        Set<String> grantable = new LinkedHashSet<>(scopes);
        grantable.removeAll(Scopes.NEVER_GRANTED_TO_ACCESS_TOKENS);
        if (grantable.isEmpty()) {
            throw new OAuthException(OAuthError.invalidScope("The secret has no scope an access token can carry ("
                    + String.join(" and ", new TreeSet<>(Scopes.NEVER_GRANTED_TO_ACCESS_TOKENS))
                    + " are never granted to one)"));
        }
        return grantable;
    }

    /** Section 3.3: the requested scopes, each of which the secret must have ({@code write} covers {@code read}). */
    static Set<String> narrowed(Set<String> granted, FormRequest form) throws OAuthException {
        String requested = form.get("scope").orElse(null);
        if (requested == null) {
            return granted;
        }
        Set<String> scopes = new LinkedHashSet<>(Arrays.asList(requested.trim().split(" +")));
        for (String scope : scopes) {
            if (Scopes.NEVER_GRANTED_TO_ACCESS_TOKENS.contains(scope)) {
                throw new OAuthException(OAuthError.invalidScope("The scope '" + scope + "' is never granted to an"
                        + " access token"));
            }
            if (!Scopes.isValidName(scope) || !Scopes.satisfies(granted, scope)) {
                throw new OAuthException(OAuthError.invalidScope("The secret does not grant the scope '"
                        + (Scopes.isValidName(scope) ? scope : "?") + "'"));
            }
        }
        return scopes;
    }
}
