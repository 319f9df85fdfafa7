package io.keygate.server.store;

import java.time.Duration;

/**
 * What a {@code PATCH} of a tenant changes; {@code null} fields stay as they are.
 *
 * @param name                   the new name, or {@code null}
 * @param apiAccessEnabled       switch API access on or off, or {@code null}
 * @param changesLifetimePolicy  whether {@code maxTokenLifetime} applies (it may be {@code null} = no policy)
 * @param maxTokenLifetime       the new maximum token lifetime, or {@code null} to remove the policy
 */
public record TenantChanges(String name, Boolean apiAccessEnabled, boolean changesLifetimePolicy,
        Duration maxTokenLifetime) {

    void applyTo(Tenant tenant) {
        if (name != null) {
            tenant.setName(name);
        }
        if (apiAccessEnabled != null) {
            tenant.setApiAccessEnabled(apiAccessEnabled);
        }
        if (changesLifetimePolicy) {
            tenant.setMaxTokenLifetime(maxTokenLifetime);
        }
    }
}
