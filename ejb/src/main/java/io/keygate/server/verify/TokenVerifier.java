package io.keygate.server.verify;

import static io.keygate.token.VerifierProtocol.EXPIRES_AT;
import static io.keygate.token.VerifierProtocol.PRINCIPAL;
import static io.keygate.token.VerifierProtocol.RESULT;
import static io.keygate.token.VerifierProtocol.SCOPES;
import static io.keygate.token.VerifierProtocol.TENANT;
import static io.keygate.token.VerifierProtocol.TOKEN_ID;
import static io.keygate.token.VerifierProtocol.TOKEN_NAME;

import io.keygate.server.KeygateRuntime;
import io.keygate.server.store.ApiToken;
import io.keygate.server.store.Verification;
import io.keygate.token.VerifierProtocol;
import jakarta.ejb.ConcurrencyManagement;
import jakarta.ejb.ConcurrencyManagementType;
import jakarta.ejb.Local;
import jakarta.ejb.Singleton;
import jakarta.ejb.Startup;
import jakarta.ejb.TransactionAttribute;
import jakarta.ejb.TransactionAttributeType;
import jakarta.inject.Inject;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import javax.script.Invocable;

/**
 * The verifier every protected WAR on the server calls, through the JDK-typed local view described in
 * {@link VerifierProtocol}: {@code java:global/keygate/TokenVerifier!javax.script.Invocable}.
 *
 * <p>Only {@link #invokeFunction} is part of the protocol; the other {@link Invocable} methods have no meaning
 * here. Global admin tokens are refused: they are for the admin API, not for applications.
 *
 * <p>Bean-managed concurrency and no container transaction: the method is thread-safe by construction and
 * runs its own short store read.
 */
@Singleton(name = "TokenVerifier")
@Startup
@Local(Invocable.class)
@ConcurrencyManagement(ConcurrencyManagementType.BEAN)
@TransactionAttribute(TransactionAttributeType.NOT_SUPPORTED)
public class TokenVerifier implements Invocable {

    private static final Map<String, Object> INVALID = Map.of(RESULT, VerifierProtocol.INVALID);
    private static final Map<String, Object> EXPIRED = Map.of(RESULT, VerifierProtocol.EXPIRED);

    @Inject
    private KeygateRuntime runtime;

    @Override
    public Object invokeFunction(String name, Object... args) throws NoSuchMethodException {
        if (VerifierProtocol.VERIFY.equals(name) && args != null && args.length == 1 && args[0] instanceof String hash) {
            return verify(hash);
        }
        throw new NoSuchMethodException("the Keygate verifier has no function '" + name + "' with these arguments");
    }

    private Map<String, Object> verify(String hash) {
        Verification verification = runtime.tokens().verify(hash);
        if (verification instanceof Verification.Expired) {
            return EXPIRED;
        }
        if (!(verification instanceof Verification.Valid valid) || valid.token().getTenantSlug() == null) {
            return INVALID;
        }
        ApiToken token = valid.token();
        runtime.usage().record(token.getId(), Instant.now());
        Map<String, Object> answer = new HashMap<>();
        answer.put(RESULT, VerifierProtocol.VALID);
        answer.put(TENANT, token.getTenantSlug());
        answer.put(TOKEN_ID, token.getId());
        answer.put(TOKEN_NAME, token.getName());
        answer.put(PRINCIPAL, token.principalName());
        answer.put(SCOPES, List.copyOf(token.getScopes()));
        if (token.getExpiresAt() != null) {
            answer.put(EXPIRES_AT, token.getExpiresAt().toEpochMilli());
        }
        return Map.copyOf(answer);
    }

    @Override
    public Object invokeMethod(Object thiz, String name, Object... args) throws NoSuchMethodException {
        throw new NoSuchMethodException("the Keygate verifier has no methods; use invokeFunction");
    }

    @Override
    public <T> T getInterface(Class<T> type) {
        return null;
    }

    @Override
    public <T> T getInterface(Object thiz, Class<T> type) {
        return null;
    }
}
