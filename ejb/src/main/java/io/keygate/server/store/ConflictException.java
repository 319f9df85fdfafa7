package io.keygate.server.store;

/**
 * A change lost a race or would break a uniqueness rule (a slug taken, a token changed by another admin at the
 * same moment). The admin API answers 409; the store is left as the winner wrote it.
 */
public class ConflictException extends RuntimeException {

    public ConflictException(String message) {
        super(message);
    }
}
