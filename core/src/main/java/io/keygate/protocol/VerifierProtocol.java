package io.keygate.protocol;

import io.keygate.token.TokenHash;
import java.util.Set;

/**
 * The contract between {@code keygate-filter.jar}, loaded by each protected WAR, and the verifier EJB in
 * {@code keygate.war}.
 *
 * <p>The two sides live in different applications and so in different class loaders: a Keygate interface
 * would be a different {@code Class} on each side and the cast would fail. The verifier therefore exposes a
 * local business view typed only with JDK types, {@link javax.script.Invocable}, whose classes come from the
 * bootstrap loader and are the same everywhere. {@code Invocable} has neither static nor default methods, so
 * servers that reflect on the interface (WildFly) need no {@code --add-opens}. Arguments and results are
 * {@code String}, {@code Long}, {@code List} and {@code Map} only.
 *
 * <pre>
 * Invocable verifier = (Invocable) new InitialContext().lookup(VerifierProtocol.JNDI_NAME);
 * Map&lt;String, Object&gt; answer = (Map&lt;String, Object&gt;) verifier.invokeFunction(VERIFY, TokenHash.of(token));
 * </pre>
 *
 * <p>Any exception from the call means the verifier could not answer (store down, application undeployed):
 * the filter answers 503, never 401. The verifier reports a store that is down with
 * {@link javax.script.ScriptException}, which {@code Invocable} declares, so that the container treats it as an
 * expected outcome and does not log it for every request.
 *
 * <p>Seven functions. {@link #VERIFY} gives a verdict; {@link #SUBSCRIBE} and {@link #CHANGES_SINCE} let each
 * filter keep a cache of verdicts that no revocation outlives; {@link #RECORD_USAGE} hands over the uses the
 * filter counted, {@link #RECORD_FAILURES} the authentications it refused, summarised for the audit log;
 * {@link #LIMITS}, in process only, hands over the board on which every WAR of the server counts rate limits and
 * failures, and {@link #METRICS}, in process only too, the counts behind the server's metrics. Why a
 * published generation rather than the verifier calling every filter back: a callback would need a registry of
 * filters in {@code keygate.war} that outlives undeployed WARs (a leak of their class loaders) and a call per WAR
 * inside the admin request; a shared {@link java.util.concurrent.atomic.AtomicLong} costs the filter one volatile
 * read per request, needs no registration, and cannot be forgotten by a WAR that went away.
 */
public final class VerifierProtocol {

    /** Portable JNDI name of the verifier's JDK-typed local view (Jakarta EE 10 platform, section 5.2.2). */
    public static final String JNDI_NAME = "java:global/keygate/TokenVerifier!javax.script.Invocable";

    /**
     * {@code verify(String sha256Hex)} returns a {@code Map<String, Object>} with {@link #RESULT} and, when
     * valid, the token's identity ({@link #TENANT}, {@link #TOKEN_ID}, {@link #TOKEN_NAME}, {@link #PRINCIPAL},
     * {@link #PARENT_ID} for an access token) and what it may do now ({@link #SCOPES}, {@link #EXPIRES_AT},
     * {@link #RATE_LIMIT}, {@link #ALLOWED_ADDRESSES}). It does not count a use: the filter counts and hands the
     * counts over with {@link #RECORD_USAGE}.
     */
    public static final String VERIFY = "verify";

    /**
     * {@code subscribe()} returns the verifier's change generation, a
     * {@link java.util.concurrent.atomic.AtomicLong}: the same instance for every caller (local EJB calls pass
     * references). The verifier increments it after every committed change that can take rights away from a
     * token (revocation, rotation, a token's or a tenant's change); on undeployment it sets it to
     * {@link #RETIRED_GENERATION}, so a filter notices with one volatile read that it must drop everything it cached and
     * subscribe again.
     */
    public static final String SUBSCRIBE = "subscribe";

    /**
     * {@code changesSince(Long generation, List<String> understood)} returns a {@code Map<String, Object>}:
     * {@link #GENERATION} (the current one, {@code Long}), {@link #CHANGED_TOKENS} (token hashes changed after
     * {@code generation}, {@code List<String>}), {@link #CHANGED_TENANTS} (tenant slugs, {@code List<String>}),
     * {@link #CHANGED_SECRETS} (ids of tokens, API secrets above all, that changed together with every access
     * token they issued, {@code List<String>}: the caller forgets every verdict whose {@link #TOKEN_ID} or
     * {@link #PARENT_ID} is listed; absent from a verifier older than this key, which listed access tokens' hashes
     * instead) and {@link #COMPLETE} ({@code Boolean}: {@code false} when the caller must forget everything).
     *
     * <p>{@code understood} names the keys of the answer, beyond {@link #GENERATION}, {@link #CHANGED_TOKENS},
     * {@link #CHANGED_TENANTS} and {@link #COMPLETE}, that the caller acts on: today {@link #CHANGED_SECRETS}, and
     * names it does not know are ignored. A caller that does not name {@link #CHANGED_SECRETS}, or calls
     * {@code changesSince(Long)} with one argument as filters older than this argument do, would forget a changed
     * secret and keep its access tokens: whenever the changes it asks about name a secret, it gets
     * {@link #COMPLETE} {@code false}, so it forgets everything, which is always safe. A verifier older than the
     * second argument refuses it ({@link NoSuchMethodException}; HTTP {@code 400}): the caller asks again with one
     * argument, for as long as it uses that verifier.
     *
     * <p>{@link #COMPLETE} is also {@code false} when the verifier's bounded log no longer reaches back to
     * {@code generation}.
     *
     * <p>Why ids of secrets rather than the hashes of their access tokens: a secret may have issued 100 000 live
     * access tokens, and ending it must add one entry, not 100 000, to what every filter copies.
     */
    public static final String CHANGES_SINCE = "changesSince";

    /**
     * {@code recordUsage(Map<String, List<Long>> uses)}: token id to {@code [count, lastUsedEpochMillis]}, added
     * to the verifier's counts. Returns {@code Boolean.TRUE} when they were taken; {@code Boolean.FALSE} (the
     * verifier is stopping and has written its last batch) or an exception means they were not: the caller keeps
     * them and tries again.
     *
     * <p>In process, a second argument may follow: a {@code java.util.function.Supplier<Map<String, List<Long>>>}
     * that hands over, and gives up, everything the caller still counts. The verifier keeps it weakly and calls it
     * once when it stops, before it writes its last batch, so counts survive a server stop that takes
     * {@code keygate.war} down before the protected WARs.
     */
    public static final String RECORD_USAGE = "recordUsage";

    /**
     * {@code recordFailures(Map<String, Object> report)}: the authentications the filter refused since its last
     * report, summarised for the audit log; never a token or a hash. The report's keys:
     * <ul>
     * <li>{@link #APPLICATION}: the context path of the WAR that refused them ({@code String}, {@code ""} for the
     * root context);</li>
     * <li>{@link #SINCE}, {@link #UNTIL}: the window the counts cover, epoch milliseconds ({@code Long});</li>
     * <li>{@link #FAILURES}: at most {@link #MAX_FAILURE_ENTRIES} summaries ({@code List<Map<String, Object>>}),
     * each with {@link #CLIENT} (the client address as the filter decided it, or {@code unknown}),
     * {@link #REASON} (one of {@code malformed}, {@code checksum}, {@code invalid}, {@code expired},
     * {@code throttled}, {@code address}), {@link #COUNT} ({@code Long}, at least 1), and, when known,
     * {@link #PREFIX} (the token's non-secret prefix as listings show it: {@code kg_} and five base62 characters;
     * absent when what was presented does not look like a Keygate token) and {@link #TENANT} (only where the
     * filter knew the token as valid: refused for its client address);</li>
     * <li>{@link #OVERFLOW}: failures the filter counted but could not itemise within its bound ({@code Long}).</li>
     * </ul>
     * Returns {@code Boolean.TRUE} when the report was taken; {@code Boolean.FALSE} (the verifier is stopping) or
     * an exception means it was not: the caller keeps it and tries again. A verifier older than this function
     * throws {@link NoSuchMethodException} (HTTP: {@code 400}): the caller drops the report and says so once.
     */
    public static final String RECORD_FAILURES = "recordFailures";
    /**
     * {@code limits()}, in process only: the server's count board, the same objects for every caller, as a
     * {@code Map<String, Object>} of JDK types: {@code rates} and {@code failures}
     * ({@code ConcurrentMap<String, AtomicLongArray>}, the windows of requests per token and of failed
     * authentications per client) and {@code servers} ({@code AtomicLong}, how many servers share the limits).
     * {@code io.keygate.limits.CountBoard} reads it and holds the rules every side applies to it, so that each filter
     * and {@code keygate.war} count on the same windows and a token's {@code rateLimit} and the brute-force throttle
     * hold for the server, not per WAR; {@code keygate.war} exchanges the counts with the other servers. The board
     * follows the subscription: a filter takes it when it subscribes and drops it when the generation is retired.
     * A verifier older than this function throws {@link NoSuchMethodException}, and so does the HTTP binding
     * ({@code 400}): objects cannot be shared over a network, and a remote filter counts on its own.
     */
    public static final String LIMITS = "limits";
    /**
     * {@code metrics(String application)}, in process only: the counts the filter of the WAR at that context path keeps
     * for the server's metrics, the same objects every time for one application, as the {@code Map<String, Object>} of
     * JDK types that {@code io.keygate.metrics.VerificationCounts} reads ({@code LongAdder}s per outcome and for the
     * cache, a {@code LongConsumer} for call durations). The filter counts on them from its subscription on and counts
     * on its own again when the generation is retired, like the board of {@link #LIMITS}. A verifier older than this
     * function, and the HTTP binding, throw {@link NoSuchMethodException}: a remote filter's counts stay in its JVM.
     */
    public static final String METRICS = "metrics";
    /** Most summaries in one {@link #RECORD_FAILURES} report; the filter counts the rest as {@link #OVERFLOW}. */
    public static final int MAX_FAILURE_ENTRIES = 1000;
    /** Key of the refusing application's context path in a {@link #RECORD_FAILURES} report ({@code String}). */
    public static final String APPLICATION = "application";
    /** Key of the start of a {@link #RECORD_FAILURES} report's window, epoch milliseconds ({@code Long}). */
    public static final String SINCE = "since";
    /** Key of the end of a {@link #RECORD_FAILURES} report's window, epoch milliseconds ({@code Long}). */
    public static final String UNTIL = "until";
    /** Key of the summaries in a {@link #RECORD_FAILURES} report ({@code List<Map<String, Object>>}). */
    public static final String FAILURES = "failures";
    /** Key of the failures not itemised in a {@link #RECORD_FAILURES} report ({@code Long}). */
    public static final String OVERFLOW = "overflow";
    /** Key of a failure summary's token prefix ({@code String}, {@code kg_} and five characters), or absent. */
    public static final String PREFIX = "prefix";
    /** Key of a failure summary's client address ({@code String}). */
    public static final String CLIENT = "client";
    /** Key of why the filter refused, in a failure summary ({@code String}). */
    public static final String REASON = "reason";
    /** Key of how many failures a summary counts ({@code Long}). */
    public static final String COUNT = "count";

    /**
     * The functions that change what {@code keygate.war} records ({@link #RECORD_USAGE}, {@link #RECORD_FAILURES}):
     * over HTTP they need the {@code report} scope, since counts and audit events are what anyone with a read
     * credential could otherwise forge; every other function only reads.
     */
    public static final Set<String> WRITING_FUNCTIONS = Set.of(RECORD_USAGE, RECORD_FAILURES);

    /**
     * Path of the HTTP binding under {@code keygate.war}'s context root, for a filter on a server without
     * {@code keygate.war} (remote mode): {@code POST /keygate/verifier} with
     * {@code Authorization: Bearer <credential>} (a global token with the {@code introspect} or {@code admin}
     * scope) and the body {@code {"function": name, "arguments": [...]}}; the answer is
     * {@code 200 {"answer": ...}}, values written as {@link ProtocolJson} writes them. A verifier that cannot
     * answer says {@code 503}; a function or arguments outside the protocol, {@code 400}, which the filter takes
     * as {@link NoSuchMethodException}, as in process.
     *
     * <p>The functions mean what they mean in process, with one difference: {@link #SUBSCRIBE} cannot hand
     * a shared {@code AtomicLong} over HTTP, so it answers {@code {"generation": n, "log": id}}. The remote filter
     * polls it and keeps a local copy of the generation; {@link #LOG} names the verifier's change log, and a new
     * one means {@code keygate.war} started again with a generation of its own. Only token hashes cross the
     * network, never a token.
     */
    public static final String HTTP_PATH = "/verifier";
    /** Key of the function's name in an HTTP call ({@code String}). */
    public static final String FUNCTION = "function";
    /** Key of the function's arguments in an HTTP call ({@code List}). */
    public static final String ARGUMENTS = "arguments";
    /** Key of the function's answer in an HTTP answer. */
    public static final String ANSWER = "answer";
    /** Key of the change log's identity in an HTTP {@link #SUBSCRIBE} answer ({@code String}). */
    public static final String LOG = "log";

    /** Value of the change generation once its verifier is undeployed: negative, never a real generation. */
    public static final long RETIRED_GENERATION = -1L;

    /** Key of the current generation in a {@link #CHANGES_SINCE} answer ({@code Long}). */
    public static final String GENERATION = "generation";
    /** Key of the changed token hashes in a {@link #CHANGES_SINCE} answer ({@code List<String>}). */
    public static final String CHANGED_TOKENS = "tokens";
    /** Key of the changed tenant slugs in a {@link #CHANGES_SINCE} answer ({@code List<String>}). */
    public static final String CHANGED_TENANTS = "tenants";
    /**
     * Key of the ids of tokens that changed with every access token they issued, in a {@link #CHANGES_SINCE}
     * answer ({@code List<String>}, possibly absent).
     */
    public static final String CHANGED_SECRETS = "secrets";
    /** Key of whether a {@link #CHANGES_SINCE} answer lists every change ({@code Boolean}). */
    public static final String COMPLETE = "complete";

    /** Key of the outcome: one of {@link #VALID}, {@link #INVALID}, {@link #EXPIRED}. */
    public static final String RESULT = "result";
    public static final String VALID = "valid";
    /** Unknown, revoked, or the tenant's API access is switched off: indistinguishable on purpose. */
    public static final String INVALID = "invalid";
    /**
     * Key of {@code Boolean.TRUE} beside {@link #INVALID} for a revoked token: for the metrics, never the client.
     */
    public static final String REVOKED = "revoked";
    public static final String EXPIRED = "expired";

    /** Tenant slug ({@code String}). */
    public static final String TENANT = "tenant";
    /** The admin API's token id ({@code String}). */
    public static final String TOKEN_ID = "tokenId";
    /** The token's name ({@code String}). */
    public static final String TOKEN_NAME = "tokenName";
    /** The principal name: the owner, or the token's name when it has none ({@code String}). */
    public static final String PRINCIPAL = "principal";
    /**
     * For an access token from the token endpoint, the id of the API secret that issued it ({@code String}); absent
     * for every other token. The scopes, limits and expiry of such a token are what its secret allows now, so the
     * caller must forget its verdict when the secret changes ({@link #CHANGED_SECRETS}).
     */
    public static final String PARENT_ID = "parentId";
    /** The granted scopes ({@code List<String>}). */
    public static final String SCOPES = "scopes";
    /** When the token stops working, epoch milliseconds ({@code Long}), or absent. */
    public static final String EXPIRES_AT = "expiresAt";

    /** The token's rate limit, {@code List<Long>} of requests and window seconds, or absent for none. */
    public static final String RATE_LIMIT = "rateLimit";
    /** The addresses and CIDR blocks the token may be used from, {@code List<String>}, or absent for anywhere. */
    public static final String ALLOWED_ADDRESSES = "allowedAddresses";

    private VerifierProtocol() {
    }
}
