package io.keygate.filter;

import io.keygate.protocol.ChangeSet;
import io.keygate.protocol.FunctionsOnlyInvocable;
import io.keygate.protocol.Verdict;
import io.keygate.protocol.VerifierProtocol;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import javax.script.Invocable;

/**
 * A verifier that knows one token and publishes a generation that never moves: after the first request every
 * verdict comes from the filter's cache, as at steady state on a server.
 */
final class BenchVerifier extends FunctionsOnlyInvocable {

    private static final Map<String, Object> KNOWN = new Verdict.Valid("acme", "tok_3f9c0a5b7d1e2f4a6c8b9d0e",
            "Website Integration", "alice", List.of("read", "write"), null, null, null, null).toWire();
    private static final Map<String, Object> INVALID = Verdict.INVALID.toWire();

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
                return knownHash.equals(args[0]) ? KNOWN : INVALID;
            case VerifierProtocol.SUBSCRIBE:
                return generation;
            case VerifierProtocol.CHANGES_SINCE:
                return new ChangeSet(generation.get(), List.of(), List.of(), List.of(), true).toWire();
            case VerifierProtocol.RECORD_USAGE:
                return Boolean.TRUE;
            default:
                throw new NoSuchMethodException(name);
        }
    }
}
