package io.keygate.filter;

import io.keygate.protocol.VerifierProtocol;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The verifier's answer to {@link VerifierProtocol#CHANGES_SINCE}: what the filter must forget to be as current
 * as {@code generation}.
 *
 * @param generation the verifier's generation these changes bring the caller to
 * @param tokens     hashes of tokens that changed (revoked, rotated)
 * @param tenants    slugs of tenants that changed (API access switched off, and so on)
 * @param secrets    ids of tokens (API secrets above all) that changed with every access token they issued
 * @param complete   {@code false} when the verifier no longer remembers every change since the generation asked
 *                   about: the caller must forget everything
 */
record Changes(long generation, List<String> tokens, List<String> tenants, List<String> secrets,
        boolean complete) {

    /** The optional keys of a {@link VerifierProtocol#CHANGES_SINCE} answer that this record acts on. */
    static final List<String> UNDERSTOOD = List.of(VerifierProtocol.CHANGED_SECRETS);

    Changes {
        tokens = List.copyOf(tokens);
        tenants = List.copyOf(tenants);
        secrets = List.copyOf(secrets);
    }

    /** Reads the answer map; {@code null} when it does not follow the protocol. */
    static Changes interpret(Object answer) {
        if (!(answer instanceof Map<?, ?> map)
                || !(map.get(VerifierProtocol.GENERATION) instanceof Long generation)
                || !(map.get(VerifierProtocol.COMPLETE) instanceof Boolean complete)) {
            return null;
        }
        List<String> tokens = strings(map.get(VerifierProtocol.CHANGED_TOKENS));
        List<String> tenants = strings(map.get(VerifierProtocol.CHANGED_TENANTS));
        // Absent from a keygate.war older than the key: it named access tokens by their hashes instead.
        Object secretIds = map.get(VerifierProtocol.CHANGED_SECRETS);
        List<String> secrets = secretIds == null ? List.of() : strings(secretIds);
        if (tokens == null || tenants == null || secrets == null) {
            return null;
        }
        return new Changes(generation, tokens, tenants, secrets, complete);
    }

    private static List<String> strings(Object value) {
        if (!(value instanceof List<?> list)) {
            return null;
        }
        List<String> strings = new ArrayList<>(list.size());
        for (Object item : list) {
            if (!(item instanceof String s)) {
                return null;
            }
            strings.add(s);
        }
        return strings;
    }
}
