package io.keygate.bench.http.plain;

import io.keygate.bench.http.HelloResource;
import jakarta.ws.rs.ApplicationPath;
import jakarta.ws.rs.core.Application;
import java.util.Set;

/**
 * The JAX-RS application of the unprotected and the Keygate copies (the MP-JWT copy leaves this package out and has
 * its own). The Keygate copy differs from the unprotected one only by {@code keygate-filter.jar} in
 * {@code WEB-INF/lib}.
 */
@ApplicationPath("/api")
public class HelloApplication extends Application {

    @Override
    public Set<Class<?>> getClasses() {
        return Set.of(HelloResource.class);
    }
}
