package io.keygate.filter;

import java.security.Principal;
import java.util.Objects;

/**
 * The user a valid token acts for: its owner, or the token's name when it has none.
 *
 * @param name what {@link #getName()} returns
 */
public record KeygatePrincipal(String name) implements Principal {

    public KeygatePrincipal {
        Objects.requireNonNull(name, "name");
    }

    @Override
    public String getName() {
        return name;
    }
}
