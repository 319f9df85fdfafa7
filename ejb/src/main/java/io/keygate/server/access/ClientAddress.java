package io.keygate.server.access;

import io.keygate.transport.IpRange;
import io.keygate.transport.TransportSecurity;
import jakarta.servlet.http.HttpServletRequest;
import java.net.InetAddress;
import java.util.List;
import java.util.Optional;

/**
 * Who the client of a request to {@code keygate.war} is: the address {@link TransportSecurity} derives through
 * {@code keygate.trusted-proxies}, worked out once by {@code io.keygate.server.TransportFilter} and left in the request attribute
 * {@value #ATTRIBUTE} for every endpoint after it. Throttles, address allowlists and the audit log all read it, so a
 * proxy in front of {@code keygate.war} neither hides its clients nor lets them name themselves.
 *
 * @param address the client's address, or empty when a trusted proxy forwarded something that is not one
 */
public record ClientAddress(Optional<InetAddress> address) {

    /** The request attribute that holds the {@link ClientAddress}. */
    public static final String ATTRIBUTE = ClientAddress.class.getName();

    /** Where the address is unknown: all such clients share one throttle key, as in the filter. */
    public static final String UNKNOWN = "unknown";

    /**
     * The address {@code TransportFilter} derived; without it (a request that did not pass the filter) the peer's
     * own address, never a forwarded one.
     */
    public static ClientAddress of(HttpServletRequest request) {
        if (request.getAttribute(ATTRIBUTE) instanceof ClientAddress client) {
            return client;
        }
        return new ClientAddress(IpRange.parseAddress(String.valueOf(request.getRemoteAddr())));
    }

    /** The key of throttles and audit entries: the address as text, or {@value #UNKNOWN}. */
    public String key() {
        return address.map(InetAddress::getHostAddress).orElse(UNKNOWN);
    }

    /**
     * Whether a token limited to {@code allowedAddresses} ({@code null}: anywhere) may be used by this client. An
     * unknown client, or an entry that is not an address or CIDR block, allows nothing (fail closed).
     */
    public boolean isAllowedBy(List<String> allowedAddresses) {
        if (allowedAddresses == null) {
            return true;
        }
        if (address.isEmpty()) {
            return false;
        }
        for (String allowed : allowedAddresses) {
            try {
                if (IpRange.parse(allowed).contains(address.get())) {
                    return true;
                }
            } catch (IllegalArgumentException e) {
                // stored entries are checked when written; one that is not a range allows nobody
            }
        }
        return false;
    }
}
