package io.keygate.server.admin;

import jakarta.ws.rs.ApplicationPath;
import jakarta.ws.rs.core.Application;

/** The admin API at {@code /keygate/api/v1}: tenants, their tokens, and global admin tokens. */
@ApplicationPath("api/v1")
public class AdminApplication extends Application {
}
