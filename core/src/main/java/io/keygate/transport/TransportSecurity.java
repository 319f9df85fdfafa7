package io.keygate.transport;

import io.keygate.config.ConfigLookup;
import io.keygate.config.ConfigValues;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Enumeration;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * Decides whether a request came over a transport a bearer token may travel on
 * (<a href="https://www.rfc-editor.org/rfc/rfc6750#section-5.3">RFC 6750 section 5.3</a>: "always use TLS"),
 * and who the client is.
 *
 * <ul>
 * <li>The client address is {@code getRemoteAddr()}, unless that is a trusted proxy: then it is the
 * right-most {@code X-Forwarded-For} entry that is not a trusted proxy (entries to its left were written by
 * the client and prove nothing). An entry that is not an IP literal stops the walk: the client is unknown.</li>
 * <li>The request is secure when {@code isSecure()}, or when a trusted proxy sent {@code X-Forwarded-Proto}
 * and every value in it is {@code https}. The header is ignored from anyone else.</li>
 * <li>Plain HTTP is refused when {@code keygate.require-https} is on, unless {@code keygate.allow-loopback-http}
 * is on and the client is a loopback address ({@code 127.0.0.0/8}, {@code ::1}). A loopback peer that is not
 * a trusted proxy but forwards ({@code X-Forwarded-For} or {@code Forwarded}) is a proxy on the same host,
 * not a local user: it is not exempt, so list it in {@code keygate.trusted-proxies}.</li>
 * </ul>
 * The RFC 7239 {@code Forwarded} header is not read.
 *
 * <p>Public for {@code keygate.war}, whose own endpoints obey the same keys, read by {@link #read}.
 */
public final class TransportSecurity {

    public static final String REQUIRE_HTTPS = "keygate.require-https";
    public static final String ALLOW_LOOPBACK_HTTP = "keygate.allow-loopback-http";
    public static final String TRUSTED_PROXIES = "keygate.trusted-proxies";

    static final String X_FORWARDED_FOR = "X-Forwarded-For";
    static final String X_FORWARDED_PROTO = "X-Forwarded-Proto";
    static final String FORWARDED = "Forwarded";

    private final boolean requireHttps;
    private final boolean allowLoopbackHttp;
    private final List<IpRange> trustedProxies;

    public TransportSecurity(boolean requireHttps, boolean allowLoopbackHttp, List<IpRange> trustedProxies) {
        this.requireHttps = requireHttps;
        this.allowLoopbackHttp = allowLoopbackHttp;
        this.trustedProxies = List.copyOf(trustedProxies);
    }

    /**
     * Reads {@code keygate.require-https}, {@code keygate.allow-loopback-http} and {@code keygate.trusted-proxies}
     * with the defaults and checks of a protected WAR.
     *
     * @throws ServletException naming the key and the bad value
     */
    public static TransportSecurity read(ConfigLookup config) throws ServletException {
        return new TransportSecurity(ConfigValues.bool(config, REQUIRE_HTTPS, true),
                ConfigValues.bool(config, ALLOW_LOOPBACK_HTTP, true),
                ConfigValues.list(config, TRUSTED_PROXIES, IpRange::parse));
    }

    /** Whether the request may go on; {@code false} means 403 {@code https_required}. */
    public boolean isAcceptable(HttpServletRequest request) {
        return isAcceptableFromAnyClient(request)
                || allowLoopbackHttp && exemptsPlainHttp(request, clientAddress(request));
    }

    /**
     * Whether the request may go on whoever its client is: it arrived over TLS, or HTTPS is not required. When it is
     * not, {@link #exemptsPlainHttp} decides, with the client address that a caller who needs it later works out once.
     */
    public boolean isAcceptableFromAnyClient(HttpServletRequest request) {
        return !requireHttps || isSecure(request);
    }

    /**
     * Whether plain HTTP from {@code client} may go on anyway: {@code keygate.allow-loopback-http} is on and the
     * client is on loopback, not behind a forwarding proxy that is not trusted.
     *
     * @param client the request's {@link #clientAddress}
     */
    public boolean exemptsPlainHttp(HttpServletRequest request, Optional<InetAddress> client) {
        if (!allowLoopbackHttp || client.isEmpty() || !client.get().isLoopbackAddress()) {
            return false;
        }
        boolean forwards = request.getHeader(X_FORWARDED_FOR) != null || request.getHeader(FORWARDED) != null;
        return !forwards || isTrusted(request.getRemoteAddr());
    }

    /** Whether the request arrived over TLS, at the server or at a trusted proxy in front of it. */
    boolean isSecure(HttpServletRequest request) {
        if (request.isSecure()) {
            return true;
        }
        // Without trusted proxies nobody's X-Forwarded-Proto counts; and getRemoteAddr() is not free (Grizzly
        // formats the address on every call).
        if (trustedProxies.isEmpty() || !isTrusted(request.getRemoteAddr())) {
            return false;
        }
        List<String> protocols = values(request, X_FORWARDED_PROTO);
        return !protocols.isEmpty() && protocols.stream().allMatch(p -> p.equalsIgnoreCase("https"));
    }

    /** The client's address, or empty when a trusted proxy forwarded something that is not an address. */
    public Optional<InetAddress> clientAddress(HttpServletRequest request) {
        Optional<InetAddress> peer = IpRange.parseAddress(String.valueOf(request.getRemoteAddr()));
        if (peer.isEmpty() || !isTrusted(peer.get())) {
            return peer;
        }
        List<String> forwarded = values(request, X_FORWARDED_FOR);
        Optional<InetAddress> client = peer;
        for (int i = forwarded.size() - 1; i >= 0; i--) {
            client = IpRange.parseAddress(forwarded.get(i));
            if (client.isEmpty() || !isTrusted(client.get())) {
                return client;
            }
        }
        return client;
    }

    private boolean isTrusted(String address) {
        return address != null && !trustedProxies.isEmpty()
                && IpRange.parseAddress(address).map(this::isTrusted).orElse(false);
    }

    private boolean isTrusted(InetAddress address) {
        for (IpRange range : trustedProxies) {
            if (range.contains(address)) {
                return true;
            }
        }
        return false;
    }

    /** Every comma-separated value of every occurrence of the header, trimmed, in order. */
    private static List<String> values(HttpServletRequest request, String name) {
        Enumeration<String> headers = request.getHeaders(name);
        List<String> values = new ArrayList<>();
        if (headers == null) {
            return values;
        }
        for (String header : Collections.list(headers)) {
            for (String value : header.split(",")) {
                if (!value.isBlank()) {
                    values.add(value.strip().toLowerCase(Locale.ROOT));
                }
            }
        }
        return values;
    }
}
