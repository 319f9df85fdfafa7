/**
 * {@code keygate-filter.jar}: the servlet filter a protected WAR carries, which turns a bearer token (RFC 6750,
 * section 2.1) into a verified identity by asking the verifier in {@code keygate.war}.
 *
 * <h2>Names</h2>
 * The <em>verifier</em> is the EJB in {@code keygate.war} and nothing in this jar: a class here named after it says
 * how it relates to it. {@link io.keygate.filter.VerifierClient} is the client of the verifier's protocol (what to
 * ask), over a {@link io.keygate.filter.VerifierConnection} (look-up, call, availability);
 * {@link io.keygate.filter.remote.VerifierOverHttp} is the verifier reached over HTTP in remote mode. What the
 * filter itself keeps are <em>verdicts</em>: {@link io.keygate.filter.Verdicts} is where a request gets one, from
 * the {@link io.keygate.filter.VerdictCache} or else from the client. The messages both sides exchange are the types
 * of {@code io.keygate.protocol} in {@code keygate-core}.
 *
 * <h2>Where things are</h2>
 * <ul>
 * <li>The request path: {@link io.keygate.filter.KeygateFilter} (one step a line), wired by
 * {@link io.keygate.filter.FilterParts}; a valid request goes on as an
 * {@link io.keygate.filter.AuthenticatedRequest} with a {@link io.keygate.filter.KeygatePrincipal}.</li>
 * <li>Settings, read once in {@code init} and validated there: {@link io.keygate.filter.FilterSettings},
 * {@link io.keygate.filter.CacheSettings}, {@link io.keygate.filter.ScopePolicy} over
 * {@link io.keygate.filter.PathPattern} and {@link io.keygate.filter.RequestPath}; remote mode's in
 * {@link io.keygate.filter.remote}.</li>
 * <li>Limits that refuse before or after the verdict (failure throttle, rate limit, allowed addresses):
 * {@link io.keygate.filter.RequestLimits}; every refusal is written by
 * {@link io.keygate.filter.ErrorResponseWriter}.</li>
 * <li>Verdicts: {@link io.keygate.filter.Verdicts}, {@link io.keygate.filter.VerdictCache} (on
 * {@link io.keygate.filter.ExpiringMap}), kept current by {@link io.keygate.filter.InvalidationSync}, misses shared
 * by {@link io.keygate.filter.Coalescer}; a verdict is a {@link io.keygate.filter.VerificationResult}, a valid one
 * with its {@link io.keygate.filter.VerifiedToken}.</li>
 * <li>The verifier's client: {@link io.keygate.filter.VerifierClient}, {@link io.keygate.filter.VerifierConnection};
 * in process each call bounded in time by {@link io.keygate.filter.BoundedCalls}, which {@link io.keygate.filter.ProbeGate}
 * keeps from calling a verifier that hangs again and {@link io.keygate.filter.ClosingDeadline} from outliving the WAR;
 * in remote mode over {@link io.keygate.filter.remote}.</li>
 * <li>What the filter counts and hands to {@code keygate.war} every second (uses, refused authentications):
 * {@link io.keygate.filter.handover}, on the filter's own scheduler, {@link io.keygate.filter.FilterJobs}.</li>
 * </ul>
 */
package io.keygate.filter;
