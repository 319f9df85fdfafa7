package io.keygate.filter;

import io.keygate.bearer.BearerResolution;
import io.keygate.bearer.BearerTokenResolver;
import io.keygate.config.ConfigLookup;
import io.keygate.token.Scopes;
import io.keygate.token.TokenFormat;
import io.keygate.token.TokenHash;
import io.keygate.transport.TransportSecurity;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.security.SecureRandom;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;

/**
 * What Keygate adds to a protected request with a token the filter has cached: {@link #protectedRequest} is the
 * whole of {@link KeygateFilter#doFilter} (transport check, public-path check, header, checksum, SHA-256, cache
 * hit with its generation check, scope rule, use counted, request wrapped) over HTTPS,
 * {@link #protectedRequestLoopbackHttp} the same over plain HTTP from loopback (what {@code bench/http} sends);
 * the other benchmarks are its steps alone, to see where the time goes. Target: at most 2 µs per request.
 * {@code -prof gc} adds the bytes allocated per operation ({@code gc.alloc.rate.norm}).
 *
 * <pre>
 * mvn -q -pl bench/hotpath -am package -DskipTests
 * java -jar bench/hotpath/target/benchmarks.jar -f 1 -wi 3 -i 5 -prof gc
 * java -cp bench/hotpath/target/benchmarks.jar io.keygate.filter.CacheFootprint
 * </pre>
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class HotPathBenchmark {

    private String token;
    private String header;
    private String hash;
    private KeygateFilter filter;
    /** The same filter with the verdict cache switched off: every request asks the verifier (a cache miss). */
    private KeygateFilter uncachedFilter;
    private Verdicts verdicts;
    private VerificationResult.Valid identity;
    private HttpServletRequest request;
    private HttpServletRequest loopbackRequest;
    private TransportSecurity transport;
    private ScopePolicy scopePolicy;
    private RequestPath samplePath;
    private final BearerTokenResolver resolver = new BearerTokenResolver();

    @Setup
    public void setUp() throws ServletException, IOException {
        token = TokenFormat.generate(new SecureRandom());
        header = "Bearer " + token;
        hash = TokenHash.of(token);
        BenchVerifier verifier = new BenchVerifier(hash);
        FilterSettings settings = FilterSettings.read(
                new ConfigLookup(null, Map.of(FilterSettings.PUBLIC_PATHS, "/public/*")::get, Map.of(), new Properties()),
                "/sample");
        filter = new KeygateFilter(settings, new VerifierClient(() -> verifier), System::currentTimeMillis);
        verdicts = filter.verdicts();
        FilterSettings uncached = FilterSettings.read(new ConfigLookup(null, Map.of(FilterSettings.PUBLIC_PATHS,
                "/public/*", CacheSettings.MAX_ENTRIES, "0")::get, Map.of(), new Properties()), "/sample");
        BenchVerifier uncachedVerifier = new BenchVerifier(hash);
        uncachedFilter = new KeygateFilter(uncached, new VerifierClient(() -> uncachedVerifier),
                System::currentTimeMillis);
        request = new BenchRequest(header);
        loopbackRequest = new BenchRequest(header, false, "127.0.0.1");
        transport = settings.transportSecurity();
        scopePolicy = settings.scopePolicy();
        samplePath = RequestPath.of("/api", "/whoami");
        filter.doFilter(request, BenchRequest.response(), (req, res) -> { });
        identity = (VerificationResult.Valid) verdicts.verify(hash);
        if (verifier.verifyCalls != 1) {
            throw new IllegalStateException("the token should have been verified once, then cached");
        }
    }

    /** The whole filter, from request to the application's chain, on a cached token, over HTTPS. */
    @Benchmark
    public void protectedRequest(Blackhole blackhole) throws IOException, ServletException {
        HttpServletResponse response = BenchRequest.response();
        FilterChain chain = (req, res) -> blackhole.consume(req);
        filter.doFilter(new BenchRequest(header), response, chain);
    }

    /**
     * The same over plain HTTP from {@code 127.0.0.1}, as {@code bench/http} sends it: the transport check then
     * has to work out that the client is on loopback (allowed by {@code keygate.allow-loopback-http}).
     */
    @Benchmark
    public void protectedRequestLoopbackHttp(Blackhole blackhole) throws IOException, ServletException {
        HttpServletResponse response = BenchRequest.response();
        FilterChain chain = (req, res) -> blackhole.consume(req);
        filter.doFilter(new BenchRequest(header, false, "127.0.0.1"), response, chain);
    }

    /**
     * The whole filter with the verdict cache off ({@code keygate.cache.max-entries=0}): what a cache miss costs,
     * the verifier (in this JVM, answering at once) asked on every request.
     */
    @Benchmark
    public void protectedRequestCacheMiss(Blackhole blackhole) throws IOException, ServletException {
        HttpServletResponse response = BenchRequest.response();
        FilterChain chain = (req, res) -> blackhole.consume(req);
        uncachedFilter.doFilter(new BenchRequest(header), response, chain);
    }

    /**
     * The whole filter on a public path ({@code /public/status}) with the same cached token: it authenticates the
     * request as on a protected path, and meets the brute-force throttle's check (idle here) instead of a scope rule.
     */
    @Benchmark
    public void publicRequest(Blackhole blackhole) throws IOException, ServletException {
        HttpServletResponse response = BenchRequest.response();
        FilterChain chain = (req, res) -> blackhole.consume(req);
        filter.doFilter(new BenchRequest(header, "/public", "/status"), response, chain);
    }

    /** Step 0: plain HTTP from loopback is acceptable (HTTPS costs one {@code isSecure()}). */
    @Benchmark
    public boolean transportLoopbackHttp() {
        return transport.isAcceptable(loopbackRequest);
    }

    /** Step 0: the path in canonical form, for the public-path and scope rules. */
    @Benchmark
    public RequestPath path() {
        return RequestPath.of("/api", "/whoami");
    }

    /** Step 4b: the scope rule (the default method rule) and its check. */
    @Benchmark
    public boolean scope() {
        for (String scope : scopePolicy.requiredScopes("GET", samplePath)) {
            if (!Scopes.satisfies(identity.token().scopes(), scope)) {
                return false;
            }
        }
        return true;
    }

    /** Step 1: the {@code Authorization} header to a token (RFC 6750 syntax). */
    @Benchmark
    public BearerResolution header() {
        return resolver.resolve(request);
    }

    /** Step 2: prefix, length, alphabet and CRC32 checksum. */
    @Benchmark
    public boolean checksum() {
        return TokenFormat.isWellFormed(token);
    }

    /** Step 3: SHA-256 to hex, the cache key. */
    @Benchmark
    public String hash() {
        return TokenHash.of(token);
    }

    /** Step 4: the generation check and the cache look-up. */
    @Benchmark
    public VerificationResult cacheHit() {
        return verdicts.verify(hash);
    }

    /** Step 5: the request as the application sees it (attributes, principal, roles). */
    @Benchmark
    public HttpServletRequest wrapper() {
        return AuthenticatedRequest.authenticate(request, identity);
    }
}
