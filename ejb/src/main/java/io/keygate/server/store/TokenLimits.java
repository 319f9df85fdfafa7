package io.keygate.server.store;

import java.util.List;

/**
 * A token's optional limits, enforced by the filter: a request rate, and the client addresses it may be used
 * from. {@code null} parts mean no limit.
 *
 * @param rate             at most {@code requests} per {@code windowSeconds}, or {@code null}
 * @param allowedAddresses IP addresses and CIDR blocks, or {@code null} for anywhere
 */
public record TokenLimits(Rate rate, List<String> allowedAddresses) {

    public static final TokenLimits NONE = new TokenLimits(null, null);

    public TokenLimits {
        allowedAddresses = allowedAddresses == null ? null : List.copyOf(allowedAddresses);
    }

    /** A fixed-window rate: {@code requests} per {@code windowSeconds}. */
    public record Rate(int requests, int windowSeconds) {
    }
}
