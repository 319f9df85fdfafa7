package io.keygate.server.verify;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.keygate.protocol.VerifierProtocol;
import io.keygate.token.Scopes;
import jakarta.json.Json;
import org.junit.jupiter.api.Test;

/** {@code introspect} reads through the verifier binding; the functions that write need {@code report}. */
class VerifierServletScopeTest {

    @Test
    void writingFunctionsNeedReportAndTheOthersIntrospect() {
        assertEquals(Scopes.REPORT, scopeOf(VerifierProtocol.RECORD_USAGE));
        assertEquals(Scopes.REPORT, scopeOf(VerifierProtocol.RECORD_FAILURES));
        assertEquals(Scopes.INTROSPECT, scopeOf(VerifierProtocol.VERIFY));
        assertEquals(Scopes.INTROSPECT, scopeOf(VerifierProtocol.SUBSCRIBE));
        assertEquals(Scopes.INTROSPECT, scopeOf(VerifierProtocol.CHANGES_SINCE));
        assertEquals(Scopes.INTROSPECT, VerifierServlet.scopeOf(Json.createObjectBuilder().build()));
    }

    private static String scopeOf(String function) {
        return VerifierServlet.scopeOf(Json.createObjectBuilder().add(VerifierProtocol.FUNCTION, function).build());
    }
}
