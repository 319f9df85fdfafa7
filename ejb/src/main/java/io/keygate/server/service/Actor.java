package io.keygate.server.service;

/**
 * Who made a change, as the audit log records it.
 *
 * @param tokenId the id of the admin token that made it
 * @param client  the client address it came from ({@code ClientAddress.key()})
 */
public record Actor(String tokenId, String client) {
}
