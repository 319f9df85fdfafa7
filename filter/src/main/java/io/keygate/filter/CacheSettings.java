package io.keygate.filter;

import static io.keygate.config.ConfigValues.number;

import io.keygate.config.ConfigLookup;
import jakarta.servlet.ServletException;
import java.util.Optional;

/**
 * How the filter caches the verifier's verdicts ({@link VerdictCache}), read with the rest of
 * {@link FilterSettings}.
 *
 * <pre>
 * &lt;context-param&gt;
 *     &lt;param-name&gt;keygate.cache.ttl-seconds&lt;/param-name&gt;
 *     &lt;param-value&gt;30&lt;/param-value&gt;
 * &lt;/context-param&gt;
 * </pre>
 *
 * @param maxEntries        {@value #MAX_ENTRIES}: at most this many valid tokens, and as many refusals, are kept;
 *                          default {@value #DEFAULT_MAX_ENTRIES}, about 0.7 MB per 1000 entries (see the README);
 *                          {@code 0} switches the cache off
 * @param ttlMillis         {@value #TTL_SECONDS}: how long a valid verdict is kept; default
 *                          {@value #DEFAULT_TTL_SECONDS} s. On this server a revocation or a tenant's switch-off
 *                          reaches the cache at once; this is the bound on what cannot reach it (a change made
 *                          through another server's {@code keygate.war} in a cluster), and how long cached tokens
 *                          keep working while the database is down but {@code keygate.war} is up. {@code 0}: no
 *                          valid verdict is kept
 * @param negativeTtlMillis {@value #NEGATIVE_TTL_SECONDS}: how long a refusal is kept; default
 *                          {@value #DEFAULT_NEGATIVE_TTL_SECONDS} s; every change on this server forgets them all.
 *                          {@code 0}: no refusal is kept
 */
record CacheSettings(int maxEntries, long ttlMillis, long negativeTtlMillis) {

    static final String MAX_ENTRIES = "keygate.cache.max-entries";
    static final String TTL_SECONDS = "keygate.cache.ttl-seconds";
    static final String NEGATIVE_TTL_SECONDS = "keygate.cache.negative-ttl-seconds";

    static final int DEFAULT_MAX_ENTRIES = 10_000;
    static final int DEFAULT_TTL_SECONDS = 60;
    static final int DEFAULT_NEGATIVE_TTL_SECONDS = 30;
    /** Upper bounds that catch a typo (an extra zero or three) before it costs gigabytes or hides revocations. */
    static final int MAX_MAX_ENTRIES = 10_000_000;
    static final int MAX_TTL_SECONDS = 86_400;

    static final CacheSettings DEFAULT = new CacheSettings(DEFAULT_MAX_ENTRIES, DEFAULT_TTL_SECONDS * 1000L,
            DEFAULT_NEGATIVE_TTL_SECONDS * 1000L);

    CacheSettings {
        if (maxEntries < 0 || ttlMillis < 0 || negativeTtlMillis < 0) {
            throw new IllegalArgumentException("cache settings must not be negative");
        }
    }

    /** Reads and checks the three keys; a blank value means the default. */
    static CacheSettings read(ConfigLookup config) throws ServletException {
        return new CacheSettings(
                number(config, MAX_ENTRIES, DEFAULT_MAX_ENTRIES, MAX_MAX_ENTRIES),
                number(config, TTL_SECONDS, DEFAULT_TTL_SECONDS, MAX_TTL_SECONDS) * 1000L,
                number(config, NEGATIVE_TTL_SECONDS, DEFAULT_NEGATIVE_TTL_SECONDS, MAX_TTL_SECONDS) * 1000L);
    }

    /** Whether anything is cached at all. */
    boolean enabled() {
        return maxEntries > 0 && (ttlMillis > 0 || negativeTtlMillis > 0);
    }

}
