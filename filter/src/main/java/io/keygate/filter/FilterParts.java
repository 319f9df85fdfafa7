package io.keygate.filter;

import io.keygate.bearer.BearerError;
import io.keygate.config.ConfigLookup;
import io.keygate.filter.handover.FailureHandOver;
import io.keygate.filter.handover.FailureTally;
import io.keygate.filter.handover.UsageHandOver;
import io.keygate.filter.remote.VerifierOverHttp;
import io.keygate.limits.CurrentBoard;
import io.keygate.metrics.CurrentCounts;
import io.keygate.metrics.Outcome;
import io.keygate.token.TokenHash;
import io.keygate.transport.TransportSecurity;
import jakarta.servlet.ServletContext;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;
import java.util.function.UnaryOperator;
import java.util.logging.Logger;
import javax.naming.InitialContext;
import javax.naming.NamingException;

/**
 * What a {@link KeygateFilter} is made of, wired from its settings. On a server ({@link #start}) the settings come
 * from the configuration, the verifier from JNDI or, in remote mode, over HTTP, and the usage and failure
 * hand-overs run on the filter's own scheduler ({@link FilterJobs}), which {@link #close()} stops.
 *
 * <p>Immutable once built: the filter publishes it through one {@code volatile} field in {@code init()}, and each
 * request reads that field once and finds every part, as built together, there.
 *
 * @param remote in remote mode, the HTTP verifier whose polling {@link KeygateFilter#destroy()} stops; otherwise
 *               {@code null}
 * @param jobs   the scheduler of the hand-overs (and of remote polling), or {@code null}: then usage is handed over
 *               on requests and failures only at the end
 * @param counts   where the requests' outcomes are counted for the server's metrics ({@link Outcome})
 * @param requests the requests in the filter's own work, which {@link #close()} lets finish
 */
record FilterParts(FilterSettings settings, LongSupplier clock, Verdicts verifier, UsageHandOver usage,
        FailureHandOver failures, TransportSecurity transport, ErrorResponseWriter errors, RequestLimits limits,
        VerifierOverHttp remote, VerifierClient client, FilterJobs jobs, CurrentCounts counts,
        RequestsInFlight requests) {

    /**
     * How long {@link #close()} may take in all: the last hand-overs get this long, and no longer, since a server
     * that undeploys or stops must never wait for a {@code keygate.war} that does not answer.
     */
    static final long CLOSE_MILLIS = 2000;
    /**
     * How much sooner than that every call to the verifier must be over: a request whose wait ends then has this long
     * to write its answer before {@link #close()} stops the threads.
     */
    private static final long ANSWER_MARGIN_MILLIS = 100;

    /** The filter's logger: what it says at start-up is said in its name. */
    private static final Logger LOG = Logger.getLogger(KeygateFilter.class.getName());

    /**
     * The parts over {@code client}, usage handed over on requests until {@link UsageHandOver#start} is called.
     *
     * @param application the context path, naming this WAR in the audit log
     */
    static FilterParts wire(FilterSettings settings, VerifierClient client, LongSupplier clock, String application,
            VerifierOverHttp remote) {
        return wire(settings, client, clock, application, remote, null);
    }

    /** {@link #wire(FilterSettings, VerifierClient, LongSupplier, String, VerifierOverHttp)} with {@code jobs}. */
    private static FilterParts wire(FilterSettings settings, VerifierClient client, LongSupplier clock,
            String application, VerifierOverHttp remote, FilterJobs jobs) {
        FailureTally tally = new FailureTally();
        TransportSecurity transport = settings.transportSecurity();
        CurrentBoard board = new CurrentBoard();
        CurrentCounts counts = new CurrentCounts();
        return new FilterParts(settings, clock,
                new Verdicts(client, settings.cache(), clock, board, counts, application),
                new UsageHandOver(client, clock), new FailureHandOver(tally, client, application, clock),
                transport, new ErrorResponseWriter(settings.realm()),
                new RequestLimits(transport, settings.throttle(), board, clock, tally), remote, client, jobs, counts,
                new RequestsInFlight());
    }

    /** The verdict on a well-formed token; a valid one is a use of it. */
    VerificationResult verdict(String token) {
        VerificationResult result = verifier.verify(TokenHash.of(token));
        if (result instanceof VerificationResult.Valid valid) {
            usage.count(valid.token().tokenId(), clock.getAsLong());
        }
        return result;
    }

    /** Counts how a request that needed a token ended, for the server's metrics. */
    void count(Outcome outcome) {
        counts.get().count(outcome);
    }

    /** Answers a refused request with {@code error}, and counts it as {@code outcome}. */
    void refuse(HttpServletResponse response, BearerError error, Outcome outcome) throws IOException {
        count(outcome);
        errors.write(response, error);
    }

    /** Answers a request the limits refused, and counts it by why ({@link Admission#outcome()}). */
    void refuse(HttpServletResponse response, Admission refused) throws IOException {
        count(refused.outcome());
        errors.write(response, refused);
    }

    /**
     * Stops everything (the WAR is being undeployed): no periodic hand-over starts any more, the last hand-overs of
     * usage counts and failures are made and requests still waiting for the verifier get their answer, written in
     * full ({@link RequestsInFlight}), all within {@link #CLOSE_MILLIS}, then the threads that call the verifier and
     * the filter's scheduler are stopped. Returns within that bound even while a call to the verifier is stuck.
     */
    void close() {
        if (jobs != null) {
            jobs.stopScheduling();
        }
        client.closeWithin(CLOSE_MILLIS - ANSWER_MARGIN_MILLIS);
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(CLOSE_MILLIS);
        usage.close(deadline);
        failures.close(deadline);
        if (remote != null) {
            remote.close();
        }
        requests.awaitAll(deadline);
        client.close();
        if (jobs != null) {
            jobs.stop();
        }
    }

    /**
     * The parts of the filter of the WAR of {@code context}, on a server: its configuration is read (with
     * {@code parameter} the weakest source), the verifier found, the hand-overs started; the start is logged.
     */
    static FilterParts start(ServletContext context, UnaryOperator<String> parameter) throws ServletException {
        FilterSettings read;
        try {
            read = FilterSettings.read(ConfigLookup.of(context.getClassLoader(), parameter), context.getContextPath());
        } catch (RuntimeException e) {
            throw new ServletException("Cannot read the Keygate configuration: " + e.getMessage(), e);
        }
        FilterJobs jobs = FilterJobs.on(managedThreads(context));
        ScheduledExecutorService scheduler = jobs.scheduler();
        VerifierClient client;
        VerifierOverHttp remote = null;
        if (read.remote().isPresent()) {
            remote = new VerifierOverHttp(read.remote().get());
            remote.start(scheduler);
            client = VerifierClient.remote(remote, read.remote().get());
        } else {
            client = new VerifierClient(read.verifier().locator(), read.verifier());
        }
        FilterParts parts = wire(read, client, System::currentTimeMillis, context.getContextPath(), remote, jobs);
        parts.usage().start(scheduler);
        parts.failures().start(scheduler);
        context.log("Keygate protects " + context.getContextPath() + "/ with public paths " + read.publicPaths()
                + " and scope rules " + read.scopePolicy() + ", verified by " + read.remote().map(r -> r.baseUrl()
                        .toString()).orElse(read.verifier().jndiName()));
        return parts;
    }

    /** The WAR's managed thread factory, or {@code null}: then the filter's jobs run on daemon threads of its own. */
    private static ThreadFactory managedThreads(ServletContext context) {
        try {
            return (ThreadFactory) new InitialContext().lookup(FilterJobs.THREAD_FACTORY);
        } catch (NamingException | RuntimeException e) {
            LOG.info(() -> "Keygate found no " + FilterJobs.THREAD_FACTORY + " in " + context.getContextPath() + " ("
                    + e + "); its hand-overs run on daemon threads of its own");
            return null;
        }
    }
}
