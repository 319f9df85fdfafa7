package io.keygate.server.admin;

import java.security.Principal;

/**
 * Who is calling the admin API: a global admin token ({@code tenant == null}), or a tenant's admin token, which
 * sees its own tenant only. To a tenant admin every other tenant does not exist (404, OWASP API1:2023).
 *
 * @param tokenId the admin token's id
 * @param tenant  the tenant it is bound to, or {@code null} for a global admin
 */
public record AdminCaller(String tokenId, String tenant) implements Principal {

    public boolean isGlobal() {
        return tenant == null;
    }

    /** Whether this caller may see and change {@code slug}. */
    public boolean canAccess(String slug) {
        return isGlobal() || tenant.equals(slug);
    }

    @Override
    public String getName() {
        return tokenId;
    }
}
