package io.keygate.server.metrics.export;

import io.keygate.config.ConfigLookup;
import io.keygate.config.ConfigValues;
import io.keygate.metrics.Outcome;
import io.keygate.metrics.VerificationCounts;
import io.keygate.server.BackgroundJobs;
import io.keygate.server.metrics.Increments;
import io.keygate.server.metrics.ServerMetrics;
import io.keygate.server.store.LiveTokens;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.context.Initialized;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import jakarta.servlet.ServletException;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.eclipse.microprofile.metrics.Histogram;
import org.eclipse.microprofile.metrics.Metadata;
import org.eclipse.microprofile.metrics.MetricID;
import org.eclipse.microprofile.metrics.MetricRegistry;
import org.eclipse.microprofile.metrics.MetricUnits;
import org.eclipse.microprofile.metrics.Tag;

/**
 * {@code keygate.war}'s metrics in the server's MicroProfile Metrics registry (the application registry, served at
 * the server's {@code /metrics} in OpenMetrics text): what {@link ServerMetrics} counts and times, published every
 * {@link #PUBLISH_SECONDS} second, and the live tokens of each tenant, counted every
 * {@code keygate.metrics.live-tokens-seconds}. Only on servers that offer MicroProfile Metrics: {@code beans.xml}
 * leaves this package out of discovery elsewhere, and the counting goes on without it.
 *
 * <p>The registry owns its counters and can only increment them, while the filters count on their own adders (no
 * lock, no allocation on the request path): so the totals are copied into the registry by their growth
 * ({@link Increments}), at most a second late. Durations go to the registry's histograms as they are measured.
 */
@ApplicationScoped
public class MicroProfileMetricsExport {

    /** Requests that needed a token, by application and {@link Outcome}. */
    static final String VERIFICATIONS = "keygate_verifications";
    static final String CACHE_HITS = "keygate_cache_hits";
    static final String CACHE_MISSES = "keygate_cache_misses";
    static final String VERIFIER_CALLS = "keygate_verifier_call_microseconds";
    static final String STORE_LOOKUPS = "keygate_store_lookup_microseconds";
    static final String LIVE_TOKENS = "keygate_live_tokens";
    /** How often the counts are copied into the registry. */
    static final long PUBLISH_SECONDS = 1;
    /** The key of how often each tenant's live tokens are counted: one grouped query over the token table. */
    static final String LIVE_TOKENS_SECONDS = "keygate.metrics.live-tokens-seconds";
    /** Once a minute unless configured. */
    static final int DEFAULT_LIVE_TOKENS_SECONDS = 60;

    private static final Logger LOG = Logger.getLogger(MicroProfileMetricsExport.class.getName());

    @Inject
    private MetricRegistry registry;
    @Inject
    private ServerMetrics metrics;
    @Inject
    private LiveTokens liveTokens;
    @Inject
    private BackgroundJobs jobs;
    @Inject
    private ConfigLookup config;

    private final Increments increments = new Increments();
    private volatile Map<String, Long> live = Map.of();

    /** Starts publishing with {@code keygate.war}; a bad {@value #LIVE_TOKENS_SECONDS} fails the deployment. */
    void start(@Observes @Initialized(ApplicationScoped.class) Object applicationStarted) {
        int liveTokensSeconds;
        try {
            liveTokensSeconds = liveTokensSeconds(config);
        } catch (ServletException e) {
            throw new IllegalArgumentException(e.getMessage(), e);
        }
        Histogram calls = durations(VERIFIER_CALLS, "How long the filters' calls to the verifier took");
        Histogram lookups = durations(STORE_LOOKUPS, "How long the verifier's look-ups of a token in the store took");
        metrics.verifierCalls().sendTo(nanos -> calls.update(nanos / 1000));
        metrics.storeLookups().sendTo(nanos -> lookups.update(nanos / 1000));
        jobs.scheduler().scheduleWithFixedDelay(() -> quietly(this::publish), 0, PUBLISH_SECONDS, TimeUnit.SECONDS);
        jobs.scheduler().scheduleWithFixedDelay(() -> quietly(this::countLiveTokens), 0, liveTokensSeconds,
                TimeUnit.SECONDS);
    }

    /** {@value #LIVE_TOKENS_SECONDS}, from 1 to a day; anything else fails the deployment. */
    static int liveTokensSeconds(ConfigLookup config) throws ServletException {
        return ConfigValues.number(config, LIVE_TOKENS_SECONDS, DEFAULT_LIVE_TOKENS_SECONDS, 1, 86_400);
    }

    @PreDestroy
    void stop() {
        metrics.verifierCalls().sendTo(null);
        metrics.storeLookups().sendTo(null);
    }

    /** Runs one of the periodic jobs; one that fails tries again next time. */
    private static void quietly(Runnable job) {
        try {
            job.run();
        } catch (RuntimeException e) {
            // A store that is down is reported by the store and the readiness check.
            LOG.log(Level.FINE, "Keygate could not publish its metrics this time", e);
        }
    }

    /** Copies the counts' growth into the registry. */
    private void publish() {
        metrics.applications().forEach(this::publish);
    }

    private void publish(String application, VerificationCounts counts) {
        Tag app = new Tag("application", application);
        for (Outcome outcome : Outcome.values()) {
            add(VERIFICATIONS, "Requests that needed a token, by how they ended", counts.total(outcome), app,
                    new Tag("outcome", outcome.label()));
        }
        add(CACHE_HITS, "Verdicts the filters took from their cache", counts.cacheHits(), app);
        add(CACHE_MISSES, "Verdicts the filters had to ask the verifier for", counts.cacheMisses(), app);
    }

    private void add(String name, String description, long total, Tag... tags) {
        MetricID id = new MetricID(name, tags);
        long growth = increments.since(id, total);
        // Asked for even when nothing grew, so that every series is there from the start, at 0.
        registry.counter(Metadata.builder().withName(name).withDescription(description).build(), tags).inc(growth);
    }

    /**
     * A histogram of durations in microseconds, named so and declared without a unit for the server to convert. Payara
     * 6.2025.10 writes a {@code Timer}'s quantiles and maximum in nanoseconds under a name that says seconds, and a
     * histogram in microseconds with its quantiles in seconds but its sum in microseconds; with no unit declared every
     * figure is written as recorded.
     */
    private Histogram durations(String name, String description) {
        return registry.histogram(Metadata.builder().withName(name).withDescription(description)
                .withUnit(MetricUnits.NONE).build());
    }

    /** Counts the live tokens again, and gives each tenant that has none yet its gauge (a removed one loses it). */
    private void countLiveTokens() {
        Map<String, Long> counted = liveTokens.perTenant();
        Map<String, Long> before = live; // its tenants are those with a gauge
        live = counted;
        for (String tenant : counted.keySet()) {
            if (!before.containsKey(tenant)) {
                registry.gauge(Metadata.builder().withName(LIVE_TOKENS)
                        .withDescription("Tokens of the tenant that work now: neither revoked nor expired").build(),
                        () -> live.getOrDefault(tenant, 0L), new Tag("tenant", tenant));
            }
        }
        for (String tenant : before.keySet()) {
            if (!counted.containsKey(tenant)) {
                registry.remove(new MetricID(LIVE_TOKENS, new Tag("tenant", tenant)));
            }
        }
    }
}
