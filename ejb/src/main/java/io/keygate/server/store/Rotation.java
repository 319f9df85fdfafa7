package io.keygate.server.store;

/**
 * What {@link TokenStore#rotate} did: the token it replaced, as it now is (expiring at the end of the grace period,
 * naming its successor), and the successor with its plaintext, which only the answer to the admin may carry. The
 * replaced token is what the change log publishes, so nobody has to read it again.
 */
public record Rotation(ApiToken replaced, TokenStore.IssuedToken successor) {
}
