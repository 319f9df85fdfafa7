package io.keygate.filter.remote;

import io.keygate.protocol.FunctionsOnlyInvocable;
import io.keygate.protocol.Subscription;
import io.keygate.protocol.VerifierProtocol;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.logging.Logger;
import javax.script.Invocable;
import javax.script.ScriptException;

/**
 * The verifier of a {@code keygate.war} on another server, reached through the HTTP binding of
 * {@link VerifierProtocol} ({@link VerifierProtocol#HTTP_PATH}), behind the same {@link Invocable} view as the
 * local EJB: the filter's {@code VerifierClient}, the verdict cache, the invalidation and the usage hand-over work
 * unchanged.
 *
 * <p>Only what has no HTTP form differs. In process, {@code subscribe} hands every filter the verifier's own
 * {@link AtomicLong}; over HTTP this class keeps a local copy and polls the remote generation every
 * {@link RemoteSettings#pollMillis()} ({@link #poll}). A moved generation makes the next request fetch
 * {@code changesSince} and forget what changed, exactly as in process, so a revocation reaches this filter within
 * one poll interval plus one call. A remote change log with a new identity ({@code keygate.war} restarted, its
 * generation numbered afresh) retires the local copy ({@link VerifierProtocol#RETIRED_GENERATION}): the cache is cleared and
 * a new subscription starts. While polls fail the generation cannot move; cached verdicts are then served for at
 * most {@code keygate.cache.ttl-seconds}, and everything else gets 503, as when the store is down in process.
 *
 * <p>Only SHA-256 hashes of tokens cross the network, never a token, and the credential travels only in the
 * {@code Authorization} header. Failures are thrown as exceptions whose messages name the URL and the HTTP
 * status, never a hash or the credential; the filter's {@code VerifierClient} turns them into 503.
 */
public final class VerifierOverHttp extends FunctionsOnlyInvocable {

    private static final Logger LOG = Logger.getLogger(VerifierOverHttp.class.getName());

    /** A failed call; its message names the URL, the function and what went wrong, never a hash or the credential. */
    public static final class Failure extends ScriptException {
        private static final long serialVersionUID = 1L;

        /** The HTTP status of the answer, or 0 when there was none. */
        final int status;
        /** Whether the answer was 403 {@code insufficient_scope}: the credential lacks the function's scope. */
        final boolean insufficientScope;

        Failure(String message) {
            this(message, 0, false);
        }

        Failure(String message, int status, boolean insufficientScope) {
            super(message);
            this.status = status;
            this.insufficientScope = insufficientScope;
        }

        /** Whether no HTTP answer came at all (unreachable, timed out), or none that spoke the protocol. */
        public boolean unanswered() {
            return status == 0;
        }
    }

    /** The local copy of the remote generation, and the identity of the remote change log it follows. */
    private record LocalCopy(AtomicLong generation, String log) {
    }

    private final RemoteSettings settings;
    private final HttpCalls calls;
    /**
     * Set when {@code keygate.war} refused a report ({@link VerifierProtocol#RECORD_USAGE},
     * {@link VerifierProtocol#RECORD_FAILURES}) for want of the {@code report} scope: from then on reports are
     * dropped here, logged once, instead of being kept and sent again every second for ever. The credential is
     * read once at start, so only a restart with another one can change the answer.
     */
    private final AtomicBoolean reportsRefused = new AtomicBoolean();
    private volatile LocalCopy subscription;
    private ScheduledFuture<?> polling;
    private ScheduledExecutorService ownScheduler;

    public VerifierOverHttp(RemoteSettings settings) {
        this.settings = settings;
        this.calls = new HttpCalls(settings);
    }

    /**
     * Polls the remote generation every {@link RemoteSettings#pollMillis()} on {@code scheduler} (the server's
     * managed scheduler); without one, on a daemon thread of its own, stopped by {@link #close}.
     */
    public synchronized void start(ScheduledExecutorService scheduler) {
        ScheduledExecutorService executor = scheduler;
        if (executor == null) {
            ownScheduler = Executors.newSingleThreadScheduledExecutor(task -> {
                Thread thread = new Thread(task, "keygate-remote-poll");
                thread.setDaemon(true);
                return thread;
            });
            executor = ownScheduler;
        }
        try {
            polling = executor.scheduleWithFixedDelay(this::poll, settings.pollMillis(), settings.pollMillis(),
                    TimeUnit.MILLISECONDS);
        } catch (RejectedExecutionException e) {
            LOG.warning("Keygate cannot poll " + settings.baseUrl() + ": the scheduler refused the task;"
                    + " revocations reach this application only when cached verdicts expire");
        }
    }

    /** Stops polling (the application is being undeployed). */
    public synchronized void close() {
        if (polling != null) {
            polling.cancel(false);
        }
        if (ownScheduler != null) {
            ownScheduler.shutdownNow();
        }
    }

    /**
     * Brings the local generation up to the remote one, or retires it when the remote change log is another.
     * Never throws: a failed poll leaves the generation where it was (see the class comment).
     */
    public void poll() {
        LocalCopy current = subscription;
        if (current == null) {
            return;
        }
        try {
            Subscription remote = remoteSubscription();
            long generation = remote.generation();
            if (!current.log().equals(remote.log()) || generation < current.generation().get()) {
                subscription = null;
                current.generation().set(VerifierProtocol.RETIRED_GENERATION);
            } else {
                current.generation().set(generation);
            }
        } catch (Exception e) {
            LOG.fine(() -> "Keygate could not poll " + settings.baseUrl() + ": " + e.getMessage());
        }
    }

    /**
     * {@inheritDoc} A {@code 400} answer, a function or arguments outside the remote verifier's protocol, is
     * {@link NoSuchMethodException}, as the EJB throws in process (an older {@code keygate.war}).
     */
    @Override
    public Object invokeFunction(String name, Object... args) throws Failure, NoSuchMethodException {
        if (VerifierProtocol.SUBSCRIBE.equals(name) && (args == null || args.length == 0)) {
            return subscribe();
        }
        boolean report = VerifierProtocol.WRITING_FUNCTIONS.contains(name);
        if (report && reportsRefused.get()) {
            return Boolean.TRUE; // dropped: see reportsRefused
        }
        try {
            return call(name, args == null ? new Object[0] : args);
        } catch (Failure e) {
            if (e.status == 400) {
                throw new NoSuchMethodException(e.getMessage());
            }
            if (report && e.insufficientScope) {
                dropReports();
                return Boolean.TRUE;
            }
            throw e;
        }
    }

    /** Says once that this application's reports are dropped, and why; never the credential. */
    private void dropReports() {
        if (reportsRefused.compareAndSet(false, true)) {
            LOG.warning("Keygate verifier at " + settings.baseUrl() + " refused this application's usage counts and"
                    + " failure summaries (HTTP 403 insufficient_scope): the token in " + RemoteSettings.TOKEN
                    + " has no report scope. They are dropped until the application restarts with a global token"
                    + " of scopes [\"introspect\", \"report\"]; verification keeps working.");
        }
    }

    private synchronized AtomicLong subscribe() throws Failure {
        LocalCopy current = subscription;
        if (current == null) {
            Subscription remote = remoteSubscription();
            current = new LocalCopy(new AtomicLong(remote.generation()), remote.log());
            subscription = current;
        }
        return current.generation();
    }

    /** The remote {@code subscribe} answer, read by the type the verifier writes it with. */
    private Subscription remoteSubscription() throws Failure {
        return Subscription.fromWire(call(VerifierProtocol.SUBSCRIBE)).orElseThrow(() -> new Failure(
                "Keygate verifier at " + settings.baseUrl() + " answered subscribe outside the protocol"));
    }

    private Object call(String function, Object... args) throws Failure {
        return calls.call(function, args);
    }
}
