package io.keygate.server.store;

import java.util.Locale;

/** A token's state as the admin API shows it ({@code "active"}, {@code "expired"}, {@code "revoked"}). */
public enum TokenStatus {
    ACTIVE, EXPIRED, REVOKED;

    /** The lower-case name used in JSON. */
    public String json() {
        return name().toLowerCase(Locale.ROOT);
    }
}
