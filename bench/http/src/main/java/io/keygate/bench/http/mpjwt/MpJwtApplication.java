package io.keygate.bench.http.mpjwt;

import jakarta.annotation.security.DeclareRoles;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.ws.rs.ApplicationPath;
import jakarta.ws.rs.core.Application;
import java.util.Set;
import org.eclipse.microprofile.auth.LoginConfig;

/**
 * The JAX-RS application of the MP-JWT copy only (the other two leave this package out). {@code @LoginConfig} turns
 * on Payara's MP-JWT mechanism (it is found as a CDI bean, hence {@code @ApplicationScoped}); {@code @DeclareRoles}
 * declares the role the token's {@code groups} claim grants. The verification key and issuer come from MicroProfile
 * Config ({@code mp.jwt.verify.publickey}, {@code mp.jwt.verify.issuer}), given as system properties by
 * {@code bench/http/run.sh}, which makes a new key pair on every run.
 */
@ApplicationScoped
@ApplicationPath("/api")
@LoginConfig(authMethod = "MP-JWT")
@DeclareRoles("read")
public class MpJwtApplication extends Application {

    @Override
    public Set<Class<?>> getClasses() {
        return Set.of(MpJwtHelloResource.class);
    }
}
