/**
 * The verifier: what every protected WAR asks about a token, through the protocol of {@code io.keygate.protocol}.
 * In Keygate the word <em>verifier</em> means this side only. {@link io.keygate.server.verify.TokenVerifier} is the
 * EJB ({@code java:global/keygate/TokenVerifier!javax.script.Invocable}),
 * {@link io.keygate.server.verify.VerifierServlet} the same functions over HTTP for remote mode, and
 * {@link io.keygate.server.verify.VerifierFunctions} the functions themselves, on plain objects;
 * {@link io.keygate.server.verify.ChangeLog} numbers the changes that every filter's cache follows. The filter's
 * side has no verifier of its own: it has a client of this one and a cache of verdicts.
 */
package io.keygate.server.verify;
