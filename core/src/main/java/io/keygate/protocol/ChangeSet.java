package io.keygate.protocol;

import static io.keygate.protocol.VerifierProtocol.CHANGED_SECRETS;
import static io.keygate.protocol.VerifierProtocol.CHANGED_TENANTS;
import static io.keygate.protocol.VerifierProtocol.CHANGED_TOKENS;
import static io.keygate.protocol.VerifierProtocol.COMPLETE;
import static io.keygate.protocol.VerifierProtocol.GENERATION;

import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The answer to {@link VerifierProtocol#CHANGES_SINCE}: what a filter must forget to be as current as
 * {@code generation}. The verifier's {@code ChangeLog} makes it, the filter's cache acts on it.
 *
 * @param generation the verifier's generation these changes bring the caller to
 * @param tokens     hashes of tokens that changed (revoked, rotated)
 * @param tenants    slugs of tenants that changed (API access switched off, and so on)
 * @param secrets    ids of tokens (API secrets above all) that changed with every access token they issued
 * @param complete   {@code false} when the verifier no longer remembers every change since the generation asked
 *                   about, or the caller would not act on one of them: the caller must forget everything
 */
public record ChangeSet(long generation, List<String> tokens, List<String> tenants, List<String> secrets,
        boolean complete) {

    /**
     * The optional keys of the answer that this type reads, which a caller names in its second argument so that
     * the verifier does not tell it to forget everything when a secret changed.
     */
    public static final List<String> UNDERSTOOD = List.of(CHANGED_SECRETS);

    public ChangeSet {
        tokens = List.copyOf(tokens);
        tenants = List.copyOf(tenants);
        secrets = List.copyOf(secrets);
    }

    /** Nothing listed, and the caller must forget everything to reach {@code generation}. */
    public static ChangeSet incomplete(long generation) {
        return new ChangeSet(generation, List.of(), List.of(), List.of(), false);
    }

    public Map<String, Object> toWire() {
        return Map.of(GENERATION, generation, CHANGED_TOKENS, tokens, CHANGED_TENANTS, tenants,
                CHANGED_SECRETS, secrets, COMPLETE, complete);
    }

    /**
     * Reads an answer; empty when it does not follow the protocol. {@link VerifierProtocol#CHANGED_SECRETS} may be
     * absent: a {@code keygate.war} older than that key named access tokens by their hashes instead.
     */
    public static Optional<ChangeSet> fromWire(Object answer) {
        if (!(answer instanceof Map<?, ?> map) || !(map.get(GENERATION) instanceof Long generation)
                || !(map.get(COMPLETE) instanceof Boolean complete)) {
            return Optional.empty();
        }
        List<String> tokens = WireValues.strings(map.get(CHANGED_TOKENS));
        List<String> tenants = WireValues.strings(map.get(CHANGED_TENANTS));
        Object secretIds = map.get(CHANGED_SECRETS);
        List<String> secrets = secretIds == null ? List.of() : WireValues.strings(secretIds);
        if (tokens == null || tenants == null || secrets == null) {
            return Optional.empty();
        }
        return Optional.of(new ChangeSet(generation, tokens, tenants, secrets, complete));
    }
}
