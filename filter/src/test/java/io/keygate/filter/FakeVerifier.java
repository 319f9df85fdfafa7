package io.keygate.filter;

import io.keygate.protocol.VerifierProtocol;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;
import io.keygate.protocol.FunctionsOnlyInvocable;
import javax.script.Invocable;
import javax.script.ScriptException;

/**
 * The verifier EJB's {@link Invocable} view, answering {@code verify} from a function of the token hash; an
 * answer that is an exception is thrown instead. With {@link #subscribable()} it also publishes a change
 * generation and a change log the way {@code keygate.war} does; without, it is a verifier of an older version
 * that knows only {@code verify}.
 */
final class FakeVerifier extends FunctionsOnlyInvocable {

    final List<String> hashes = Collections.synchronizedList(new ArrayList<>());
    final List<Map<String, List<Long>>> recorded = Collections.synchronizedList(new ArrayList<>());
    /** The sources of counts handed over with {@code recordUsage}, as {@code keygate.war} keeps them. */
    final List<Object> sources = Collections.synchronizedList(new ArrayList<>());
    /** Every {@code recordFailures} report taken. */
    final List<Map<String, Object>> failureReports = Collections.synchronizedList(new ArrayList<>());
    /** Every {@code recordFailures} call, taken or not. */
    volatile int failureCalls;
    private volatile Object failuresAnswer;
    private volatile Function<String, Object> answer;
    private volatile AtomicLong generation;
    private final List<Changes> log = new ArrayList<>();
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

    static Map<String, Object> valid(String tenant, String tokenId, String principal, List<String> scopes,
            Long expiresAt) {
        Map<String, Object> map = new HashMap<>();
        map.put(VerifierProtocol.RESULT, VerifierProtocol.VALID);
        map.put(VerifierProtocol.TENANT, tenant);
        map.put(VerifierProtocol.TOKEN_ID, tokenId);
        map.put(VerifierProtocol.TOKEN_NAME, "Website Integration");
        map.put(VerifierProtocol.PRINCIPAL, principal);
        map.put(VerifierProtocol.SCOPES, scopes);
        if (expiresAt != null) {
            map.put(VerifierProtocol.EXPIRES_AT, expiresAt);
        }
        return map;
    }

    /** A valid access token issued by the API secret {@code parentId}. */
    static Map<String, Object> validAccessToken(String tenant, String tokenId, String parentId, List<String> scopes) {
        Map<String, Object> map = valid(tenant, tokenId, "alice", scopes, null);
        map.put(VerifierProtocol.PARENT_ID, parentId);
        return map;
    }

    static Map<String, Object> result(String result) {
        return Map.of(VerifierProtocol.RESULT, result);
    }

    /** Publishes a change generation, starting at 0. */
    FakeVerifier subscribable() {
        generation = new AtomicLong();
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
        log.add(new Changes(generation.get() + 1, tokens, tenants, secrets, true));
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

    /** Undeployment: the generation becomes {@link VerifierProtocol#RETIRED} and every call fails. */
    void retire() {
        generation.set(VerifierProtocol.RETIRED);
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
                @SuppressWarnings("unchecked")
                Map<String, List<Long>> uses = (Map<String, List<Long>>) args[0];
                if (!uses.isEmpty()) {
                    recorded.add(Map.copyOf(uses));
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
                @SuppressWarnings("unchecked")
                Map<String, Object> report = (Map<String, Object>) args[0];
                failureReports.add(report);
                return Boolean.TRUE;
            default:
                throw new NoSuchMethodException(name);
        }
    }

    /** Every failure summary taken, as {@code prefix|client|reason|tenant} to the sum of its counts. */
    Map<String, Long> failureCounts() {
        Map<String, Long> counts = new HashMap<>();
        synchronized (failureReports) {
            for (Map<String, Object> report : failureReports) {
                for (Object item : (List<?>) report.get(VerifierProtocol.FAILURES)) {
                    Map<?, ?> failure = (Map<?, ?>) item;
                    counts.merge(failure.get(VerifierProtocol.PREFIX) + "|" + failure.get(VerifierProtocol.CLIENT)
                            + "|" + failure.get(VerifierProtocol.REASON) + "|" + failure.get(VerifierProtocol.TENANT),
                            (Long) failure.get(VerifierProtocol.COUNT), Long::sum);
                }
            }
        }
        return counts;
    }

    /** Failures taken, itemised or not. */
    long failuresTaken() {
        long total = 0;
        synchronized (failureReports) {
            for (Map<String, Object> report : failureReports) {
                total += (Long) report.get(VerifierProtocol.OVERFLOW);
                for (Object item : (List<?>) report.get(VerifierProtocol.FAILURES)) {
                    total += (Long) ((Map<?, ?>) item).get(VerifierProtocol.COUNT);
                }
            }
        }
        return total;
    }

    /** Every use handed over, summed per token id. */
    Map<String, Long> recordedCounts() {
        Map<String, Long> counts = new HashMap<>();
        synchronized (recorded) {
            recorded.forEach(batch -> batch.forEach((id, use) -> counts.merge(id, use.get(0), Long::sum)));
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
        for (Changes change : log) {
            if (change.generation() > since) {
                tokens.addAll(change.tokens());
                tenants.addAll(change.tenants());
                secrets.addAll(change.secrets());
            }
        }
        return Map.of(VerifierProtocol.GENERATION, generation.get(), VerifierProtocol.CHANGED_TOKENS, tokens,
                VerifierProtocol.CHANGED_TENANTS, tenants, VerifierProtocol.CHANGED_SECRETS, secrets,
                VerifierProtocol.COMPLETE, !forgetful);
    }
}
