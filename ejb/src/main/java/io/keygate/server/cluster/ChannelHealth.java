package io.keygate.server.cluster;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Reports that an engine cannot reach the other servers once: a warning when the first call fails, a line when one
 * succeeds again, and nothing for the failures in between, which an engine that polls ten times a second would
 * otherwise log ten times a second.
 */
final class ChannelHealth {

    private static final Logger LOG = Logger.getLogger(ChannelHealth.class.getName());

    private final String engine;
    /** {@link System#nanoTime()} when the failures began, or {@link Long#MIN_VALUE} while all is well. */
    private final AtomicLong failingSince = new AtomicLong(Long.MIN_VALUE);

    /** @param engine how a log line names the engine, e.g. "the database (jdbc:postgresql://…)" */
    ChannelHealth(String engine) {
        this.engine = engine;
    }

    /** {@code what} failed: logged as a warning when it is the first failure since all was well. */
    void failed(String what, RuntimeException e) {
        if (failingSince.compareAndSet(Long.MIN_VALUE, System.nanoTime())) {
            LOG.warning(() -> "Keygate cannot " + what + " through " + engine + ": " + e
                    + ". Until it can, changes made on one server reach the filters of the others only when their"
                    + " cached verdicts expire; Keygate keeps trying and logs when it succeeds again");
        } else {
            LOG.log(Level.FINE, () -> "Keygate still cannot " + what + " through " + engine + ": " + e);
        }
    }

    /** A call succeeded: if failures were going on, they are over. One volatile read when there were none. */
    void succeeded() {
        if (failingSince.get() == Long.MIN_VALUE) {
            return;
        }
        long since = failingSince.getAndSet(Long.MIN_VALUE);
        if (since != Long.MIN_VALUE) {
            long seconds = TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - since);
            LOG.info(() -> "Keygate reaches the other servers through " + engine + " again, after " + seconds + " s");
        }
    }
}
