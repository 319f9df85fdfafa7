package io.keygate.server.admin;

import io.keygate.server.service.Actor;
import jakarta.ws.rs.core.SecurityContext;
import java.security.Principal;

/**
 * Who is calling the admin API: a global admin token ({@code tenant == null}), or a tenant's admin token, which
 * sees its own tenant only. To a tenant admin every other tenant does not exist (404, OWASP API1:2023).
 *
 * @param tokenId the admin token's id
 * @param tenant  the tenant it is bound to, or {@code null} for a global admin
 * @param client  the client address the request came from, for the audit log
 */
public record AdminCaller(String tokenId, String tenant, String client) implements Principal {

    /** The caller {@link AdminAuthentication} admitted. */
    static AdminCaller of(SecurityContext security) {
        return (AdminCaller) security.getUserPrincipal();
    }

    public boolean isGlobal() {
        return tenant == null;
    }

    /** Whether this caller may see and change {@code slug}. */
    public boolean canAccess(String slug) {
        return isGlobal() || tenant.equals(slug);
    }

    /** @throws ApiProblem 403 with {@code detail} unless this is a global admin */
    AdminCaller requireGlobal(String detail) {
        if (!isGlobal()) {
            throw ApiProblem.forbidden(detail);
        }
        return this;
    }

    /** This caller as the author of a change. */
    Actor actor() {
        return new Actor(tokenId, client);
    }

    @Override
    public String getName() {
        return tokenId;
    }
}
