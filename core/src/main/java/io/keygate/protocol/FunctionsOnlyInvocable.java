package io.keygate.protocol;

import javax.script.Invocable;

/**
 * An {@link Invocable} that only has functions, as every side of {@link VerifierProtocol} does: the verifier EJB,
 * the remote verifier over HTTP, and their test and benchmark stand-ins. The interface's other methods have no
 * meaning there; this class answers them once for all.
 */
public abstract class FunctionsOnlyInvocable implements Invocable {

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
