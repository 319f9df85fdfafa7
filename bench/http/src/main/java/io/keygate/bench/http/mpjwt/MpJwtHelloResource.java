package io.keygate.bench.http.mpjwt;

import io.keygate.bench.http.HelloResource;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.Path;

/**
 * The same endpoint, constrained for MP-JWT: it inherits {@link HelloResource#hello()} unchanged and adds only the
 * role check (401 without a valid token, 403 without {@code read} in its {@code groups}). A subclass, because Payara
 * enforces {@code @RolesAllowed} on JAX-RS resources in every application: on the shared class it would lock the
 * unprotected copy too.
 */
@Path("/hello")
@RolesAllowed("read")
public class MpJwtHelloResource extends HelloResource {
}
