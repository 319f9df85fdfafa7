package io.keygate.filter;

import io.keygate.token.VerifierProtocol;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import javax.script.Invocable;
import javax.script.ScriptException;

/**
 * The verifier EJB's {@link Invocable} view, answering from a function of the token hash; an answer that is
 * an exception is thrown instead.
 */
final class FakeVerifier implements Invocable {

    final List<String> hashes = new ArrayList<>();
    private Function<String, Object> answer;

    FakeVerifier(Function<String, Object> answer) {
        this.answer = answer;
    }

    static Map<String, Object> valid(String principal, List<String> scopes) {
        Map<String, Object> map = new HashMap<>();
        map.put(VerifierProtocol.RESULT, VerifierProtocol.VALID);
        map.put(VerifierProtocol.TENANT, "acme");
        map.put(VerifierProtocol.TOKEN_ID, "tok-1");
        map.put(VerifierProtocol.TOKEN_NAME, "Website Integration");
        map.put(VerifierProtocol.PRINCIPAL, principal);
        map.put(VerifierProtocol.SCOPES, scopes);
        map.put(VerifierProtocol.EXPIRES_AT, 1_800_000_000_000L);
        return map;
    }

    static Map<String, Object> result(String result) {
        return Map.of(VerifierProtocol.RESULT, result);
    }

    void answer(Function<String, Object> newAnswer) {
        answer = newAnswer;
    }

    int calls() {
        return hashes.size();
    }

    @Override
    public Object invokeFunction(String name, Object... args) throws ScriptException, NoSuchMethodException {
        if (!VerifierProtocol.VERIFY.equals(name) || args.length != 1) {
            throw new NoSuchMethodException(name);
        }
        hashes.add((String) args[0]);
        Object result = answer.apply((String) args[0]);
        if (result instanceof ScriptException e) {
            throw e;
        }
        if (result instanceof NoSuchMethodException e) {
            throw e;
        }
        if (result instanceof RuntimeException e) {
            throw e;
        }
        return result;
    }

    @Override
    public Object invokeMethod(Object thiz, String name, Object... args) throws NoSuchMethodException {
        throw new NoSuchMethodException(name);
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
