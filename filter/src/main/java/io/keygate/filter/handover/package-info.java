/**
 * What the filter counts in memory and hands to {@code keygate.war} every second and when the WAR stops: the uses of
 * each token ({@link io.keygate.filter.handover.UsageHandOver}) and the authentications it refused
 * ({@link io.keygate.filter.handover.FailureTally}, handed over by
 * {@link io.keygate.filter.handover.FailureHandOver}), both on {@link io.keygate.filter.handover.PeriodicHandOver}.
 *
 * <p>A hand-over sees the verifier's client only as a {@link io.keygate.filter.handover.UsageRecorder} or a
 * {@link io.keygate.filter.handover.FailureRecorder}, which take the typed reports of {@code io.keygate.protocol}:
 * nothing here asks for verdicts, and the client stays private to {@code io.keygate.filter}.
 */
package io.keygate.filter.handover;
