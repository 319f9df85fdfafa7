package io.keygate.server.store;

/** What the store says about a presented token. */
public sealed interface Verification {

    /** Active, not expired, and its tenant (if any) has API access. */
    record Valid(ApiToken token) implements Verification {
    }

    /** Unknown, revoked, or its tenant's API access is off: told apart by nobody, on purpose. */
    record Invalid() implements Verification {
    }

    /** Known and not revoked, but past {@code expiresAt}. */
    record Expired() implements Verification {
    }

    Verification INVALID = new Invalid();
    Verification EXPIRED = new Expired();
}
