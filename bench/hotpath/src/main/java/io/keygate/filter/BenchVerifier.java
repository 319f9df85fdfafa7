package io.keygate.filter;

import io.keygate.protocol.VerifierProtocol;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import io.keygate.protocol.FunctionsOnlyInvocable;
import javax.script.Invocable;

/**
 * A verifier that knows one token and publishes a generation that never moves: after the first request every
 * verdict comes from the filter's cache, as at steady state on a server.
 */
final class BenchVerifier extends FunctionsOnlyInvocable {

    private final AtomicLong generation = new AtomicLong();
    private final String knownHash;
    long verifyCalls;

    BenchVerifier(String knownHash) {
        this.knownHash = knownHash;
    }

    @Override
    public Object invokeFunction(String name, Object... args) throws NoSuchMethodException {
        switch (name) {
            case VerifierProtocol.VERIFY:
                verifyCalls++;
                if (!knownHash.equals(args[0])) {
                    return Map.of(VerifierProtocol.RESULT, VerifierProtocol.INVALID);
                }
                return Map.of(VerifierProtocol.RESULT, VerifierProtocol.VALID, VerifierProtocol.TENANT, "acme",
                        VerifierProtocol.TOKEN_ID, "tok_3f9c0a5b7d1e2f4a6c8b9d0e",
                        VerifierProtocol.TOKEN_NAME, "Website Integration", VerifierProtocol.PRINCIPAL, "alice",
                        VerifierProtocol.SCOPES, List.of("read", "write"));
            case VerifierProtocol.SUBSCRIBE:
                return generation;
            case VerifierProtocol.CHANGES_SINCE:
                return Map.of(VerifierProtocol.GENERATION, generation.get(), VerifierProtocol.CHANGED_TOKENS, List.of(),
                        VerifierProtocol.CHANGED_TENANTS, List.of(), VerifierProtocol.COMPLETE, true);
            case VerifierProtocol.RECORD_USAGE:
                return Boolean.TRUE;
            default:
                throw new NoSuchMethodException(name);
        }
    }
}
