package io.keygate.server.verify;

import io.keygate.protocol.FunctionsOnlyInvocable;
import io.keygate.protocol.VerifierProtocol;
import io.keygate.server.store.StoreUnavailableException;
import jakarta.annotation.PreDestroy;
import jakarta.ejb.ConcurrencyManagement;
import jakarta.ejb.ConcurrencyManagementType;
import jakarta.ejb.Local;
import jakarta.ejb.Singleton;
import jakarta.ejb.Startup;
import jakarta.ejb.TransactionAttribute;
import jakarta.ejb.TransactionAttributeType;
import jakarta.inject.Inject;
import javax.script.Invocable;
import javax.script.ScriptException;

/**
 * The verifier every protected WAR on the server calls, through the JDK-typed local view described in
 * {@link VerifierProtocol}: {@code java:global/keygate/TokenVerifier!javax.script.Invocable}. The functions
 * themselves are {@link VerifierFunctions}.
 *
 * <p>Only {@link #invokeFunction} is part of the protocol; the other {@link Invocable} methods have no meaning
 * here. Global admin tokens are refused: they are for the admin API, not for applications.
 *
 * <p>Bean-managed concurrency and no container transaction: the functions are thread-safe by construction and
 * run their own short store reads. Being a local view, calls pass references: every filter gets the same
 * change generation object from {@code subscribe}.
 *
 * <p>When the application stops, the change generation is retired here first, before anything else of
 * {@code keygate.war} goes away, so that no filter serves a cached verdict while the verifier is absent.
 */
@Singleton(name = "TokenVerifier")
@Startup
@Local(Invocable.class)
@ConcurrencyManagement(ConcurrencyManagementType.BEAN)
@TransactionAttribute(TransactionAttributeType.NOT_SUPPORTED)
public class TokenVerifier extends FunctionsOnlyInvocable {

    /** The change log itself, not a proxy: it is retired here even when the application's beans are gone. */
    @Inject
    private ChangeLog changes;

    @Inject
    private VerifierFunctions functions;

    /**
     * Runs a function of the protocol. When the store cannot answer, throws {@link ScriptException} (declared by
     * {@link Invocable}): an application exception, which reaches the filter as it is (503) and which the container
     * does not log. As a {@code RuntimeException} it was a system exception, logged by the container with two
     * stack traces for every request while the database was down.
     */
    @Override
    public Object invokeFunction(String name, Object... args) throws ScriptException, NoSuchMethodException {
        if (changes.isRetired()) {
            // keygate.war is stopping: a call now must not reach a store on its way out. The caller treats this
            // like an absent verifier.
            throw new IllegalStateException("the Keygate verifier is stopping");
        }
        try {
            return functions.invoke(name, args);
        } catch (StoreUnavailableException e) {
            // No cause and no message of the store's: the caller logs nothing of it but its class, and the store
            // reports its own outage (Database).
            throw new ScriptException("the Keygate token store is unavailable");
        }
    }

    @PreDestroy
    void retire() {
        changes.retire();
    }
}
