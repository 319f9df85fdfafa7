package io.keygate.server.health;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.eclipse.microprofile.health.HealthCheckResponse;
import org.junit.jupiter.api.Test;

class KeygateLivenessTest {

    @Test
    void upAndNamedAfterKeygate() {
        HealthCheckResponse response = new KeygateLiveness().call();
        assertEquals(HealthCheckResponse.Status.UP, response.getStatus());
        assertEquals("keygate", response.getName());
    }
}
