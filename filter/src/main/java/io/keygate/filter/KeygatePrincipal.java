package io.keygate.filter;

import java.security.Principal;
import java.util.Objects;

/**
 * The user a valid token acts for: its owner, or the token's name when it has none, in the token's tenant.
 *
 * <p>{@link #getName()} is the owner alone, as the admin who issued the token wrote it: free text, so a tenant's
 * admin can name a user of another tenant ({@code alice} of tenant {@code evil} has the name of {@code alice} of
 * tenant {@code acme}). Whatever trusts the name must check the tenant too, or use {@link #subject()} (the request
 * attribute {@value AuthenticatedRequest#SUBJECT}): tenant slug, {@code /}, name, unique across tenants because a
 * slug cannot contain {@code /}. Two principals are equal only when name and tenant are.
 *
 * <p>Made once per verdict, not per request: a cached verdict hands every request the same instance.
 */
public final class KeygatePrincipal implements Principal {

    private final String name;
    private final String tenant;
    private final String subject;

    /**
     * @param name   the owner, or the token's name
     * @param tenant the token's tenant slug
     */
    public KeygatePrincipal(String name, String tenant) {
        this.name = Objects.requireNonNull(name, "name");
        this.tenant = Objects.requireNonNull(tenant, "tenant");
        this.subject = tenant + "/" + name;
    }

    @Override
    public String getName() {
        return name;
    }

    /** The owner, or the token's name: {@link #getName()}. */
    public String name() {
        return name;
    }

    /** The slug of the tenant the token belongs to. */
    public String tenant() {
        return tenant;
    }

    /** {@code tenant/name}: the identity qualified by its tenant, which no other tenant's token can carry. */
    public String subject() {
        return subject;
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof KeygatePrincipal that && name.equals(that.name) && tenant.equals(that.tenant);
    }

    @Override
    public int hashCode() {
        return subject.hashCode();
    }

    @Override
    public String toString() {
        return "KeygatePrincipal[" + subject + "]";
    }
}
