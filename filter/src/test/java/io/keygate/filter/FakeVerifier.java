package io.keygate.filter;

import io.keygate.limits.CountBoard;
import io.keygate.metrics.VerificationCounts;
import io.keygate.protocol.ChangeSet;
import io.keygate.protocol.FailureReport;
import io.keygate.protocol.FunctionsOnlyInvocable;
import io.keygate.protocol.UsageReport;
import io.keygate.protocol.Verdict;
import io.keygate.protocol.VerifierProtocol;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;
import javax.script.Invocable;
import javax.script.ScriptException;

/**
 * The verifier EJB's {@link Invocable} view, answering {@code verify} from a function of the token hash; an
 * answer that is an exception is thrown instead. With {@link #subscribable()} it also publishes a change
 * generation and a change log the way {@code keygate.war} does; without, it is a verifier of an older version
 * that knows only {@code verify}. It writes and reads every message with the types of {@code io.keygate.protocol},
 * as the real verifier does, and refuses what they refuse ({@link NoSuchMethodException}), so that it cannot
 * accept what {@code keygate.war} would not.
 */
final class FakeVerifier extends FunctionsOnlyInvocable {

    final List<String> hashes = Collections.synchronizedList(new ArrayList<>());
    final List<UsageReport> recorded = Collections.synchronizedList(new ArrayList<>());
    /** The sources of counts handed over with {@code recordUsage}, as {@code keygate.war} keeps them. */
    final List<Object> sources = Collections.synchronizedList(new ArrayList<>());
    /** Every {@code recordFailures} report taken. */
    final List<FailureReport> failureReports = Collections.synchronizedList(new ArrayList<>());
    /** Every {@code recordFailures} call, taken or not. */
    volatile int failureCalls;
    private volatile Object failuresAnswer;
    private volatile Function<String, Object> answer;
    private volatile AtomicLong generation;
    /** The server's count board, handed to every filter by {@code limits()}; none before {@link #subscribable()}. */
    private volatile CountBoard board;
    /** What {@code metrics(application)} hands over, by application; none before {@link #subscribable()}. */
    private volatile Map<String, VerificationCounts> metrics;
    /** Every call duration the filters reported, in nanoseconds. */
    final List<Long> callDurations = Collections.synchronizedList(new ArrayList<>());
    private final List<ChangeSet> log = new ArrayList<>();
    private volatile boolean forgetful;
    private volatile RuntimeException usageFailure;
    private volatile RuntimeException changesFailure;
    /** The arguments of every {@code changesSince} call, taken or refused. */
    final List<List<Object>> changesSinceCalls = Collections.synchronizedList(new ArrayList<>());
    /** Whether {@code changesSince} refuses a second argument, as a keygate.war older than it does. */
    private volatile boolean oneArgumentChangesSince;
    /** Runs at the start of every {@code changesSince}, outside any lock: lets a test hold a sync midway. */
    volatile Runnable onChangesSince = () -> { };

    FakeVerifier(Function<String, Object> answer) {
        this.answer = answer;
    }

    static Map<String, Object> valid(String principal, List<String> scopes) {
        return valid("acme", "tok-1", principal, scopes, 1_800_000_000_000L);
    }

    /** A valid verdict as the verifier writes it, in a map a test may change to break the protocol. */
    static Map<String, Object> valid(String tenant, String tokenId, String principal, List<String> scopes,
            Long expiresAt) {
        return new HashMap<>(new Verdict.Valid(tenant, tokenId, "Website Integration", principal, scopes, expiresAt,
                null, null, null).toWire());
    }

    /** A valid access token issued by the API secret {@code parentId}. */
    static Map<String, Object> validAccessToken(String tenant, String tokenId, String parentId, List<String> scopes) {
        return new HashMap<>(new Verdict.Valid(tenant, tokenId, "Website Integration", "alice", scopes, null, null, null,
                parentId).toWire());
    }

    /** An answer of {@code result} alone: {@link VerifierProtocol#INVALID}, {@link VerifierProtocol#EXPIRED}, or
     * something off the protocol. */
    static Map<String, Object> result(String result) {
        return Map.of(VerifierProtocol.RESULT, result);
    }

    /** Publishes a change generation, starting at 0. */
    FakeVerifier subscribable() {
        generation = new AtomicLong();
        board = new CountBoard();
        metrics = new ConcurrentHashMap<>();
        return this;
    }

    /** The counts of the filter of {@code application}, as {@code keygate.war} reads them for its metrics. */
    VerificationCounts metrics(String application) {
        return metrics.computeIfAbsent(application, name -> new VerificationCounts(callDurations::add));
    }

    /** The count board {@code limits()} hands over, or {@code null} for a verifier older than the function. */
    CountBoard board() {
        return board;
    }

    /** From now on without {@code limits()}, as a keygate.war older than it. */
    FakeVerifier withoutLimits() {
        board = null;
        return this;
    }

    AtomicLong generation() {
        return generation;
    }

    void answer(Function<String, Object> newAnswer) {
        answer = newAnswer;
    }

    /** Commits a change, as the admin API does after a revocation or a tenant's PATCH. */
    void change(List<String> tokens, List<String> tenants) {
        change(tokens, tenants, List.of());
    }

    /**
     * Commits a change that may name secrets by id, as the admin API does after a secret's revocation, rotation or
     * PATCH: their access tokens are not listed, they follow.
     */
    synchronized void change(List<String> tokens, List<String> tenants, List<String> secrets) {
        log.add(new ChangeSet(generation.get() + 1, tokens, tenants, secrets, true));
        generation.incrementAndGet();
    }

    /** From now on {@code changesSince} takes only its first argument, as a keygate.war older than the second. */
    FakeVerifier oneArgumentChangesSince() {
        oneArgumentChangesSince = true;
        return this;
    }

    /** From now on the change log no longer reaches back: every answer is incomplete. */
    void forgetful() {
        forgetful = true;
    }

    /** Undeployment: the generation becomes {@link VerifierProtocol#RETIRED_GENERATION} and every call fails. */
    void retire() {
        generation.set(VerifierProtocol.RETIRED_GENERATION);
        board = null;
        metrics = null;
        answer = hash -> new IllegalStateException("application keygate is undeployed");
        usageFailure = new IllegalStateException("undeployed");
        changesFailure = new IllegalStateException("undeployed");
    }

    void failUsage(RuntimeException failure) {
        usageFailure = failure;
    }

    /** What {@code recordFailures} answers from now on: an exception is thrown, {@code null} means take it. */
    void answerFailures(Object answer) {
        failuresAnswer = answer;
    }

    void failChanges(RuntimeException failure) {
        changesFailure = failure;
    }

    int calls() {
        return hashes.size();
    }

    @Override
    public Object invokeFunction(String name, Object... args) throws ScriptException, NoSuchMethodException {
        switch (name) {
            case VerifierProtocol.VERIFY:
                return verify(args);
            case VerifierProtocol.SUBSCRIBE:
                if (generation == null) {
                    throw new NoSuchMethodException(name);
                }
                return generation;
            case VerifierProtocol.LIMITS:
                if (board == null || args.length != 0) {
                    throw new NoSuchMethodException(name);
                }
                return board.toWire();
            case VerifierProtocol.METRICS:
                if (metrics == null || args.length != 1 || !(args[0] instanceof String application)) {
                    throw new NoSuchMethodException(name);
                }
                return metrics(application).toWire();
            case VerifierProtocol.CHANGES_SINCE:
                changesSinceCalls.add(List.of(args));
                if (args.length != 1 && (oneArgumentChangesSince || args.length != 2)) {
                    throw new NoSuchMethodException(name);
                }
                onChangesSince.run();
                return changesSince((Long) args[0]);
            case VerifierProtocol.RECORD_USAGE:
                if (generation == null) {
                    throw new NoSuchMethodException(name);
                }
                if (usageFailure != null) {
                    throw usageFailure;
                }
                UsageReport uses = UsageReport.fromWire(args[0]).orElseThrow(() -> new NoSuchMethodException(name));
                if (!uses.uses().isEmpty()) {
                    recorded.add(uses);
                }
                if (args.length > 1 && !sources.contains(args[1])) {
                    sources.add(args[1]);
                }
                return Boolean.TRUE;
            case VerifierProtocol.RECORD_FAILURES:
                if (generation == null) {
                    throw new NoSuchMethodException(name);
                }
                failureCalls++;
                Object failuresAnswer = this.failuresAnswer;
                if (failuresAnswer instanceof RuntimeException e) {
                    throw e;
                }
                if (failuresAnswer != null) {
                    return failuresAnswer;
                }
                failureReports.add(FailureReport.fromWire(args.length == 1 ? args[0] : null)
                        .orElseThrow(() -> new NoSuchMethodException(name)));
                return Boolean.TRUE;
            default:
                throw new NoSuchMethodException(name);
        }
    }

    /** Every failure summary taken, as {@code prefix|client|reason|tenant} to the sum of its counts. */
    Map<String, Long> failureCounts() {
        Map<String, Long> counts = new HashMap<>();
        synchronized (failureReports) {
            for (FailureReport report : failureReports) {
                for (FailureReport.Failure failure : report.failures()) {
                    counts.merge(failure.prefix() + "|" + failure.client() + "|" + failure.reason() + "|"
                            + failure.tenant(), failure.count(), Long::sum);
                }
            }
        }
        return counts;
    }

    /** Failures taken, itemised or not. */
    long failuresTaken() {
        long total = 0;
        synchronized (failureReports) {
            for (FailureReport report : failureReports) {
                total += report.overflow() + report.failures().stream().mapToLong(FailureReport.Failure::count).sum();
            }
        }
        return total;
    }

    /** Every use handed over, summed per token id. */
    Map<String, Long> recordedCounts() {
        Map<String, Long> counts = new HashMap<>();
        synchronized (recorded) {
            recorded.forEach(batch -> batch.uses().forEach((id, use) -> counts.merge(id, use.count(), Long::sum)));
        }
        return counts;
    }

    private Object verify(Object[] args) throws ScriptException, NoSuchMethodException {
        if (args.length != 1) {
            throw new NoSuchMethodException(VerifierProtocol.VERIFY);
        }
        hashes.add((String) args[0]);
        Object result = answer.apply((String) args[0]);
        if (result instanceof ScriptException e) {
            throw e;
        }
        if (result instanceof NoSuchMethodException e) {
            throw e;
        }
        if (result instanceof RuntimeException e) {
            throw e;
        }
        return result;
    }

    private synchronized Map<String, Object> changesSince(long since) throws NoSuchMethodException {
        if (generation == null) {
            throw new NoSuchMethodException(VerifierProtocol.CHANGES_SINCE);
        }
        if (changesFailure != null) {
            throw changesFailure;
        }
        List<String> tokens = new ArrayList<>();
        List<String> tenants = new ArrayList<>();
        List<String> secrets = new ArrayList<>();
        for (ChangeSet change : log) {
            if (change.generation() > since) {
                tokens.addAll(change.tokens());
                tenants.addAll(change.tenants());
                secrets.addAll(change.secrets());
            }
        }
        return new ChangeSet(generation.get(), tokens, tenants, secrets, !forgetful).toWire();
    }
}
