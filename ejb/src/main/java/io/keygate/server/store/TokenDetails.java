package io.keygate.server.store;

import java.time.Instant;
import java.util.Set;

/**
 * What an admin chooses for a token: validated by the admin API before it reaches the store.
 *
 * @param name      1-100 characters
 * @param owner     the user whose permissions the token carries, or {@code null}
 * @param scopes    at least one valid scope name
 * @param expiresAt when it stops working, or {@code null} for never
 */
public record TokenDetails(String name, String owner, Set<String> scopes, Instant expiresAt) {

    public TokenDetails {
        scopes = Set.copyOf(scopes);
    }
}
