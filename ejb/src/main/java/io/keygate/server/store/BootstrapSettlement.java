package io.keygate.server.store;

import java.util.List;

/**
 * What {@link BootstrapAdmins#settleBootstrapAdmin} found and changed: how the configured value stands, and which
 * bootstrap tokens it revoked, exactly those whose row this call changed (a server racing it changes none twice).
 *
 * @param configured how the value configured now stands
 * @param tokenId    the id of the token that has the configured value's hash, or {@code null} when none is set
 * @param revoked    the bootstrap tokens this call revoked, the value they hold no longer configured
 */
public record BootstrapSettlement(Configured configured, String tokenId, List<Revoked> revoked) {

    /** How the configured value stands. */
    public enum Configured {
        /** No value is configured. */
        NONE,
        /** A value never seen before: this call stored it, an active global admin token. */
        ADDED,
        /** The value of an active bootstrap token: nothing to change. */
        ACTIVE,
        /** The value of a revoked bootstrap token: refused, a revoked value never comes back. */
        REVOKED,
        /** The value of a token that is no bootstrap token (one the API issued): refused. */
        OTHER_TOKEN
    }

    /** A bootstrap token this call revoked; its hash, for every filter's cache to forget it. */
    public record Revoked(String id, String hash) {
    }

    public BootstrapSettlement {
        revoked = List.copyOf(revoked);
    }
}
