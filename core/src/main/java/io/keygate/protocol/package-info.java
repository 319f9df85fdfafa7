/**
 * The verifier protocol between {@code keygate-filter.jar} and {@code keygate.war}: its functions and keys
 * ({@link io.keygate.protocol.VerifierProtocol}) and one type per message, each written with {@code toWire()} and
 * read with {@code fromWire(Object)} on the other side:
 * <ul>
 * <li>{@link io.keygate.protocol.Verdict}: the answer to {@code verify};</li>
 * <li>{@link io.keygate.protocol.ChangeSet}: the answer to {@code changesSince};</li>
 * <li>{@link io.keygate.protocol.Subscription}: the answer to {@code subscribe} over HTTP (in process it is the
 * shared {@link java.util.concurrent.atomic.AtomicLong} itself);</li>
 * <li>{@link io.keygate.protocol.UsageReport}: the argument of {@code recordUsage};</li>
 * <li>{@link io.keygate.protocol.FailureReport}: the argument of {@code recordFailures}.</li>
 * </ul>
 * The wire is JDK types only ({@code Map}, {@code List}, {@code String}, {@code Long}, {@code Boolean}): the two
 * sides are different applications with different class loaders, and a Keygate type would be a different class on
 * each. {@code fromWire} refuses anything off the protocol with an empty {@link java.util.Optional}, so that a
 * filter has no verdict (503) rather than a guessed one, and the verifier answers {@link NoSuchMethodException}.
 * {@link io.keygate.protocol.ProtocolJson} carries the same values over the HTTP binding.
 */
package io.keygate.protocol;
