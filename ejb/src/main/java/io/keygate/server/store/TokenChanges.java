package io.keygate.server.store;

import java.util.Set;

/**
 * What a {@code PATCH} of a token changes; {@code null} fields stay as they are.
 *
 * @param name   the new name, or {@code null}
 * @param scopes the new scopes, or {@code null}
 * @param limits the new limits (which may be {@link TokenLimits#NONE}), or {@code null}
 */
public record TokenChanges(String name, Set<String> scopes, TokenLimits limits) {

    void applyTo(ApiToken token) {
        if (name != null) {
            token.setName(name);
        }
        if (scopes != null) {
            token.setScopes(scopes);
        }
        if (limits != null) {
            token.setLimits(limits);
        }
    }
}
