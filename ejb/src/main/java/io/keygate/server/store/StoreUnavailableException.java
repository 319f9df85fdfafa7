package io.keygate.server.store;

/**
 * The store could not answer: database down, connection refused, pool exhausted. Callers answer 503 (filter
 * and admin API alike), never 401 and never 200. The message never carries a token or a hash.
 */
public class StoreUnavailableException extends RuntimeException {

    public StoreUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }
}
