package io.keygate.server.store;

/**
 * The store could not answer: database down, connection refused, pool exhausted. Callers answer 503 (filter
 * and admin API alike), never 401 and never 200. The message never carries a token or a hash.
 */
public class StoreUnavailableException extends RuntimeException {

    private final boolean connectionLost;

    public StoreUnavailableException(String message, Throwable cause) {
        this(message, cause, false);
    }

    /** @param connectionLost whether the database could not be reached (see {@link #isConnectionLost()}) */
    public StoreUnavailableException(String message, Throwable cause, boolean connectionLost) {
        super(message, cause);
        this.connectionLost = connectionLost;
    }

    /**
     * Whether the database could not be reached (down, restarting, network): an outage, which {@link Database}
     * logs once when it begins and once when it ends, so callers need not log each failed request.
     */
    public boolean isConnectionLost() {
        return connectionLost;
    }
}
