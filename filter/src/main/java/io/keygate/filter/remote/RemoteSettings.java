package io.keygate.filter.remote;

import static io.keygate.config.ConfigValues.invalid;
import static io.keygate.config.ConfigValues.text;

import io.keygate.config.ConfigLookup;
import io.keygate.config.ConfigValues;
import io.keygate.protocol.VerifierProtocol;
import io.keygate.transport.IpRange;
import jakarta.servlet.ServletException;
import java.net.InetAddress;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Remote mode, read with the rest of the filter's settings ({@code io.keygate.filter.FilterSettings}): the WAR is
 * on a server without {@code keygate.war} and asks a {@code keygate.war} elsewhere over HTTP
 * ({@link VerifierOverHttp}). Without {@value #URL} the filter
 * calls the verifier EJB on its own server.
 *
 * <pre>
 * KEYGATE_REMOTE_URL=https://auth.example.com/keygate
 * KEYGATE_REMOTE_TOKEN=kg_…   # a global token of scopes ["introspect", "report"]: POST /keygate/api/v1/admin-tokens
 * </pre>
 *
 * <p>The credential is a secret: give it through the environment or a system property rather than
 * {@code web.xml}, which travels with the WAR. No message of this class quotes it.
 *
 * @param baseUrl       {@value #URL}: {@code keygate.war}'s base URL; {@code https}, or {@code http} to a loopback
 *                      host only, since the credential and token hashes travel in it
 * @param credential    {@value #TOKEN}: a global Keygate token with the {@code introspect} scope, to verify, and
 *                      the {@code report} scope, to hand over usage counts and failure summaries (without it they
 *                      are dropped, logged once); 32-256 characters of the RFC 6750 {@code b64token} alphabet
 * @param timeoutMillis {@value #TIMEOUT_MILLIS}: how long one call may take before the request gets 503; default
 *                      {@value #DEFAULT_TIMEOUT_MILLIS}
 * @param pollMillis    {@value #POLL_MILLIS}: how often the change generation is polled, which bounds how late a
 *                      revocation reaches this filter while {@code keygate.war} answers; default
 *                      {@value #DEFAULT_POLL_MILLIS}
 */
public record RemoteSettings(URI baseUrl, String credential, int timeoutMillis, int pollMillis) {

    public static final String URL = "keygate.remote.url";
    public static final String TOKEN = "keygate.remote.token";
    public static final String TIMEOUT_MILLIS = "keygate.remote.timeout-millis";
    public static final String POLL_MILLIS = "keygate.remote.poll-millis";
    public static final int DEFAULT_TIMEOUT_MILLIS = 2000;
    public static final int DEFAULT_POLL_MILLIS = 250;
    /** The shortest timeout or poll interval: a tenth of a second. */
    public static final int MIN_MILLIS = 100;
    public static final int MAX_MILLIS = 60_000;

    private static final Pattern CREDENTIAL = Pattern.compile("[A-Za-z0-9\\-._~+/]{32,256}=*");

    /** Reads the remote keys; empty when {@value #URL} is not set (the verifier is on this server). */
    public static Optional<RemoteSettings> read(ConfigLookup config) throws ServletException {
        Optional<String> url = text(config, URL);
        Optional<String> credential = text(config, TOKEN);
        if (url.isEmpty()) {
            if (credential.isPresent()) {
                throw new ServletException("Invalid Keygate configuration: " + TOKEN + " is set but " + URL
                        + " is not; set both for remote mode, or neither");
            }
            return Optional.empty();
        }
        URI base = baseUrl(url.get());
        if (credential.isEmpty() || !CREDENTIAL.matcher(credential.get()).matches()) {
            // The value is a secret: say what is wrong with it, never what it is.
            throw new ServletException("Invalid Keygate configuration " + TOKEN + ": remote mode needs a Keygate"
                    + " global token with the scopes introspect and report (32-256 characters of the RFC 6750 b64token alphabet)");
        }
        return Optional.of(new RemoteSettings(base, credential.get(),
                millis(config, TIMEOUT_MILLIS, DEFAULT_TIMEOUT_MILLIS), millis(config, POLL_MILLIS,
                        DEFAULT_POLL_MILLIS)));
    }

    /** Where the HTTP binding of the protocol answers. */
    public URI verifierUri() {
        String base = baseUrl.toString();
        return URI.create((base.endsWith("/") ? base.substring(0, base.length() - 1) : base)
                + VerifierProtocol.HTTP_PATH);
    }

    /** Without the credential. */
    @Override
    public String toString() {
        return "RemoteSettings[baseUrl=" + baseUrl + ", timeoutMillis=" + timeoutMillis + ", pollMillis="
                + pollMillis + "]";
    }

    private static URI baseUrl(String text) throws ServletException {
        URI uri;
        try {
            uri = new URI(text);
        } catch (URISyntaxException e) {
            throw invalid(URL, text, "not a URL: " + e.getReason());
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        if (!scheme.equals("https") && !scheme.equals("http") || uri.getHost() == null) {
            throw invalid(URL, text, "expected an absolute http or https URL such as https://auth.example.com/keygate");
        }
        if (uri.getRawUserInfo() != null || uri.getRawQuery() != null || uri.getRawFragment() != null) {
            throw invalid(URL, text, "the URL must have no user, query or fragment part");
        }
        if (scheme.equals("http") && !isLoopbackHost(uri.getHost())) {
            throw invalid(URL, text, "plain http is allowed to a loopback host only: the credential and token"
                    + " hashes would cross the network unencrypted");
        }
        return uri;
    }

    /** {@code localhost} or a loopback address literal; never a DNS look-up. */
    private static boolean isLoopbackHost(String host) {
        return host.equalsIgnoreCase("localhost")
                || IpRange.parseAddress(host).map(InetAddress::isLoopbackAddress).orElse(false);
    }

    private static int millis(ConfigLookup config, String key, int defaultValue) throws ServletException {
        return ConfigValues.number(config, key, defaultValue, MIN_MILLIS, MAX_MILLIS);
    }
}
