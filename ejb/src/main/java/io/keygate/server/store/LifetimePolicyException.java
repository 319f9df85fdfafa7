package io.keygate.server.store;

/**
 * A token would outlive its tenant's maximum token lifetime, or never expire where the tenant requires expiry.
 * The admin API answers 400 with this message, which names the limit and the latest allowed expiry.
 */
public class LifetimePolicyException extends RuntimeException {

    public LifetimePolicyException(String message) {
        super(message);
    }
}
