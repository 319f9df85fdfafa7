/**
 * Remote mode: a protected WAR on a server without {@code keygate.war} asks one elsewhere over the protocol's HTTP
 * binding. {@link io.keygate.filter.remote.RemoteSettings} reads {@code keygate.remote.url} and
 * {@code keygate.remote.token}; {@link io.keygate.filter.remote.VerifierOverHttp} offers the same
 * {@link javax.script.Invocable} view as the EJB, so that the rest of the filter works unchanged, and polls the
 * change generation that a local call would share. Only token hashes cross the network, never a token.
 */
package io.keygate.filter.remote;
