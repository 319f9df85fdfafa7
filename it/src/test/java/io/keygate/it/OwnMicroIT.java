package io.keygate.it;

import java.net.URL;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.arquillian.test.api.ArquillianResource;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Base of the tests that need a Payara Micro configured for them alone: Arquillian starts one per class with the
 * class's {@code @Deployment}, and {@code keygate.war} (or {@code sample.war}) beside it when the failsafe execution
 * deploys it with {@code payara.extraMicroOptions}. About 8-9 seconds a class, so only what needs a server of its own
 * is here: another store, no verifier, a redeploy, counters that no other class may move.
 */
@ExtendWith(ArquillianExtension.class)
abstract class OwnMicroIT extends KeygateIT {

    @ArquillianResource
    private URL deploymentUrl;

    @BeforeEach
    void locateServer() {
        server = localhost(deploymentUrl.getPort());
    }
}
