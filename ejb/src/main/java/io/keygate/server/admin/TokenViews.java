package io.keygate.server.admin;

import io.keygate.server.store.AccessTokens;
import io.keygate.server.store.ApiToken;
import io.keygate.server.store.TokenStatus;
import io.keygate.server.store.TokenStore;
import io.keygate.server.usage.UsageCounter;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import java.net.URI;
import java.time.Instant;
import java.util.Optional;

/**
 * How the admin API shows tokens, the same for a tenant's tokens and for global admin tokens ({@code slug}
 * {@code null}): each with its stored usage plus what is counted and not yet written, read consistently with the
 * usage counter ({@link UsageCounter#consistently}) so that no use is shown twice or not at all; an access token as
 * its secret lets it be now.
 */
@ApplicationScoped
public class TokenViews {

    @Inject
    private TokenStore tokens;

    @Inject
    private AccessTokens accessTokens;

    @Inject
    private UsageCounter usage;

    /** A page of the tokens of {@code slug}, or of the global tokens, of one {@code status} when it is given. */
    public Response list(String slug, String limit, String cursor, String status, UriInfo uri) {
        Instant now = Instant.now();
        int pageSize = Paging.limit(limit);
        var after = Paging.cursor(cursor);
        TokenStatus only = Validation.status(status);
        return usage.consistently(() -> Paging.response(tokens.list(slug, pageSize, after, only),
                token -> Representations.token(token, usage.pending(token.getId()), now), uri, "status"));
    }

    /** One token; an access token is shown as its secret lets it be now: revoked with it, expired with it. */
    public String get(String slug, String id) {
        return usage.consistently(() -> {
            ApiToken token = tokens.find(slug, id).orElseThrow(() -> TokenResource.noToken(id));
            ApiToken secret = token.getParentId() == null ? null
                    : tokens.find(slug, token.getParentId()).orElse(null);
            return Representations.token(token, secret, usage.pending(id), Instant.now()).build().toString();
        });
    }

    /** The access tokens the secret {@code id} obtained, newest first, each as the secret lets it be now. */
    public Response accessTokens(String slug, String id, String limit, String cursor, UriInfo uri) {
        int pageSize = Paging.limit(limit);
        var after = Paging.cursor(cursor);
        return usage.consistently(() -> {
            ApiToken secret = tokens.find(slug, id).orElseThrow(() -> TokenResource.noToken(id));
            Instant now = Instant.now();
            return Paging.response(accessTokens.listIssuedBy(id, pageSize, after),
                    token -> Representations.token(token, secret, usage.pending(token.getId()), now), uri);
        });
    }

    /** The token of {@code slug} (or the global token) {@code id} as stored, to change it. */
    public Optional<ApiToken> find(String slug, String id) {
        return tokens.find(slug, id);
    }

    /** A token just changed, with its usage. */
    public String changed(ApiToken token) {
        return usage.consistently(() ->
                Representations.token(token, usage.pending(token.getId()), Instant.now()).build().toString());
    }

    /** 201 for a new token at {@code location}: the only answer that ever holds its plaintext, never cached. */
    static Response created(URI location, TokenStore.IssuedToken issued) {
        return Response.created(location)
                .header("Cache-Control", "no-store")
                .entity(Representations.created(issued.token(), issued.plaintext(), Instant.now()).build().toString())
                .build();
    }
}
