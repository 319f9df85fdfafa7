package io.keygate.filter;

import static io.keygate.config.ConfigValues.bool;
import static io.keygate.config.ConfigValues.invalid;
import static io.keygate.config.ConfigValues.list;
import static io.keygate.config.ConfigValues.text;

import io.keygate.bearer.BearerChallenge;
import io.keygate.config.ConfigLookup;
import io.keygate.filter.remote.RemoteSettings;
import io.keygate.limits.ThrottleSettings;
import io.keygate.transport.IpRange;
import io.keygate.transport.TransportSecurity;
import jakarta.servlet.ServletException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.function.Function;

/**
 * The filter's configuration, read once when the filter starts and checked there, so that a bad value fails
 * the deployment instead of leaving a WAR half-protected.
 *
 * <pre>
 * &lt;context-param&gt;
 *     &lt;param-name&gt;keygate.public-paths&lt;/param-name&gt;
 *     &lt;param-value&gt;/public/*, /health&lt;/param-value&gt;
 * &lt;/context-param&gt;
 * </pre>
 *
 * <p>Every key may also come from MicroProfile Config sources, which win (see {@link ConfigLookup}). A blank
 * value means the key's default, so an empty environment variable resets whatever {@code web.xml} says.
 *
 * @param publicPaths       {@value #PUBLIC_PATHS}: patterns that need no token; default none
 * @param realm             {@value #REALM}: the realm of challenges; default the context path, or {@code /}
 *                          for the root context (whose context path is empty, and an empty realm says nothing)
 * @param requireHttps      {@value TransportSecurity#REQUIRE_HTTPS}: refuse plain HTTP; default {@code true}
 * @param allowLoopbackHttp {@value TransportSecurity#ALLOW_LOOPBACK_HTTP}: plain HTTP from loopback is fine; default {@code true}
 * @param trustedProxies    {@value TransportSecurity#TRUSTED_PROXIES}: addresses or CIDRs whose forwarding headers are
 *                          believed; default none
 * @param scopePolicy       {@value #SCOPE_RULES}: which scope each request needs; default the method rule
 * @param cache             the {@code keygate.cache.*} keys: how verdicts are cached, see {@link CacheSettings}
 * @param throttle          the {@code keygate.throttle.*} keys: the brute-force throttle, see {@link ThrottleSettings}
 * @param remote            the {@code keygate.remote.*} keys: where {@code keygate.war} is when it is not on this
 *                          server, see {@link RemoteSettings}; empty: the verifier EJB on this server
 * @param verifier          {@code keygate.verifier-jndi} and {@code keygate.verifier.timeout-millis}: where the
 *                          verifier EJB on this server is, and how long a call to it may take; see
 *                          {@link VerifierSettings}
 */
record FilterSettings(List<PathPattern> publicPaths, String realm, boolean requireHttps, boolean allowLoopbackHttp,
        List<IpRange> trustedProxies, ScopePolicy scopePolicy, CacheSettings cache, ThrottleSettings throttle,
        Optional<RemoteSettings> remote, VerifierSettings verifier) {

    static final String PUBLIC_PATHS = "keygate.public-paths";
    static final String REALM = "keygate.realm";
    static final String SCOPE_RULES = "keygate.scope-rules";

    static final String BAD_REALM = BearerChallenge.BAD_REALM;
    static final String ROOT_REALM = "/";

    FilterSettings {
        publicPaths = List.copyOf(publicPaths);
        trustedProxies = List.copyOf(trustedProxies);
        if (!BearerChallenge.isValidParameterValue(realm)) {
            throw new IllegalArgumentException(BAD_REALM);
        }
    }

    /**
     * Reads and checks every key.
     *
     * @param config      where the keys come from
     * @param contextPath {@code ServletContext.getContextPath()}, for the default realm
     * @throws ServletException naming the key and the bad value
     */
    static FilterSettings read(ConfigLookup config, String contextPath) throws ServletException {
        Optional<String> configuredRealm = text(config, REALM);
        String realm = configuredRealm.orElse(contextPath == null || contextPath.isEmpty() ? ROOT_REALM : contextPath);
        if (!BearerChallenge.isValidParameterValue(realm)) {
            throw invalid(REALM, realm, BAD_REALM);
        }
        return new FilterSettings(
                list(config, PUBLIC_PATHS, PathPattern::parse),
                realm,
                bool(config, TransportSecurity.REQUIRE_HTTPS, true),
                bool(config, TransportSecurity.ALLOW_LOOPBACK_HTTP, true),
                list(config, TransportSecurity.TRUSTED_PROXIES, IpRange::parse),
                scopePolicy(config),
                CacheSettings.read(config),
                ThrottleSettings.read(config),
                RemoteSettings.read(config),
                VerifierSettings.read(config));
    }

    /** Whether {@code path} needs no token. */
    boolean isPublic(RequestPath path) {
        for (PathPattern pattern : publicPaths) {
            if (pattern.matches(path)) {
                return true;
            }
        }
        return false;
    }

    /** The transport rules these settings describe. */
    TransportSecurity transportSecurity() {
        return new TransportSecurity(requireHttps, allowLoopbackHttp, trustedProxies);
    }

    private static ScopePolicy scopePolicy(ConfigLookup config) throws ServletException {
        Optional<String> text = text(config, SCOPE_RULES);
        try {
            return text.map(ScopePolicy::parse).orElse(ScopePolicy.DEFAULT);
        } catch (IllegalArgumentException e) {
            throw invalid(SCOPE_RULES, text.get(), e.getMessage());
        }
    }
}
