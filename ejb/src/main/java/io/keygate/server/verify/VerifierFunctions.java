package io.keygate.server.verify;

import static io.keygate.protocol.VerifierProtocol.EXPIRES_AT;
import static io.keygate.protocol.VerifierProtocol.PRINCIPAL;
import static io.keygate.protocol.VerifierProtocol.RESULT;
import static io.keygate.protocol.VerifierProtocol.SCOPES;
import static io.keygate.protocol.VerifierProtocol.TENANT;
import static io.keygate.protocol.VerifierProtocol.TOKEN_ID;
import static io.keygate.protocol.VerifierProtocol.TOKEN_NAME;

import io.keygate.server.audit.FailureSummaries;
import io.keygate.server.store.ApiToken;
import io.keygate.server.store.TokenLimits;
import io.keygate.server.store.Usage;
import io.keygate.server.store.Verification;
import io.keygate.server.usage.UsageCounter;
import io.keygate.server.usage.UsageSources;
import io.keygate.protocol.VerifierProtocol;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Function;
import java.util.function.Supplier;
import java.util.regex.Pattern;

/**
 * The five functions of {@link VerifierProtocol}, on plain objects, so that the protocol can be tested without a
 * container; {@link TokenVerifier} is the EJB that exposes them. Arguments and answers are JDK types only.
 *
 * <ul>
 * <li>{@code verify(String hash)}: the store's verdict. It no longer counts a use: the filter counts every
 * request, cached or not, and hands the counts over.</li>
 * <li>{@code subscribe()}: the {@link ChangeLog}'s generation.</li>
 * <li>{@code changesSince(Long[, List<String>])}: what changed after that generation; incomplete for a caller
 * that does not name {@link VerifierProtocol#CHANGED_SECRETS} in the second argument when a secret changed, since
 * it would keep that secret's access tokens.</li>
 * <li>{@code recordUsage(Map<String, List<Long>>[, Supplier])}: counts merged into the {@link UsageCounter}, which
 * writes them with its next batch; {@code FALSE} once it has written its last batch. The filter's source of
 * counts, when given, is kept for {@link #takeUsageFromFilters}.</li>
 * <li>{@code recordFailures(Map<String, Object>)}: a filter's report of the authentications it refused, counted
 * into the {@link FailureSummaries} (which bound and rate-limit what reaches the audit log); {@code FALSE} once
 * they have written their last summaries. Every field is checked, and a prefix must have the exact shape of a
 * listing's prefix, so that nothing else of a token can reach the audit log even from a faulty caller.</li>
 * </ul>
 * Anything else, including arguments of the wrong types, is {@link NoSuchMethodException}.
 */
public class VerifierFunctions {

    private static final Map<String, Object> INVALID = Map.of(RESULT, VerifierProtocol.INVALID);
    private static final Map<String, Object> EXPIRED = Map.of(RESULT, VerifierProtocol.EXPIRED);

    private final Function<String, Verification> store;
    private final ChangeLog changes;
    private final UsageCounter usage;
    private final FailureSummaries failures;
    private final LongAdder verifyCalls = new LongAdder();
    private final UsageSources sources = new UsageSources();

    /** @param store the store's verdict on a token hash ({@code TokenStore::verify}) */
    public VerifierFunctions(Function<String, Verification> store, ChangeLog changes, UsageCounter usage,
            FailureSummaries failures) {
        this.store = store;
        this.changes = changes;
        this.usage = usage;
        this.failures = failures;
    }

    /** Runs function {@code name}; what {@code Invocable.invokeFunction} of the verifier does. */
    public Object invoke(String name, Object... args) throws NoSuchMethodException {
        int count = args == null ? 0 : args.length;
        switch (name == null ? "" : name) {
            case VerifierProtocol.VERIFY:
                if (count == 1 && args[0] instanceof String hash) {
                    return verify(hash);
                }
                break;
            case VerifierProtocol.SUBSCRIBE:
                if (count == 0) {
                    return changes.generation();
                }
                break;
            case VerifierProtocol.CHANGES_SINCE:
                if (count == 1 && args[0] instanceof Long since) {
                    return changesSince(since, List.of());
                }
                List<String> understood = count == 2 ? strings(args[1]) : null;
                if (understood != null && args[0] instanceof Long since) {
                    return changesSince(since, understood);
                }
                break;
            case VerifierProtocol.RECORD_USAGE:
                Map<String, Usage> uses = count == 1 || count == 2 && args[1] instanceof Supplier<?>
                        ? usage(args[0]) : null;
                if (uses != null) {
                    if (count == 2) {
                        sources.add((Supplier<?>) args[1]);
                    }
                    return usage.recordAll(uses);
                }
                break;
            case VerifierProtocol.RECORD_FAILURES:
                FailureReport report = count == 1 ? failureReport(args[0]) : null;
                if (report != null) {
                    return failures.report(report.application(), report.since(), report.until(), report.failures(),
                            report.overflow());
                }
                break;
            default:
                break;
        }
        throw new NoSuchMethodException("the Keygate verifier has no function '" + name + "' with these arguments");
    }

    /**
     * Takes the uses every filter in this JVM still counts and adds them to the counts: {@code keygate.war} is
     * stopping, and calls this before it writes its last batch.
     */
    public void takeUsageFromFilters() {
        for (Object batch : sources.takeAll()) {
            Map<String, Usage> uses = usage(batch);
            if (uses != null && !uses.isEmpty()) {
                usage.recordAll(uses);
            }
        }
    }

    /** How many times {@code verify} was called since {@code keygate.war} started. */
    public long verifyCalls() {
        return verifyCalls.sum();
    }

    private Map<String, Object> verify(String hash) {
        verifyCalls.increment();
        Verification verification = store.apply(hash);
        if (verification instanceof Verification.Expired) {
            return EXPIRED;
        }
        if (!(verification instanceof Verification.Valid valid) || valid.token().getTenantSlug() == null) {
            return INVALID;
        }
        ApiToken token = valid.token();
        Map<String, Object> answer = new HashMap<>();
        answer.put(RESULT, VerifierProtocol.VALID);
        answer.put(TENANT, token.getTenantSlug());
        answer.put(TOKEN_ID, token.getId());
        answer.put(TOKEN_NAME, token.getName());
        answer.put(PRINCIPAL, token.principalName());
        if (token.getParentId() != null) {
            answer.put(VerifierProtocol.PARENT_ID, token.getParentId());
        }
        answer.put(SCOPES, List.copyOf(valid.scopes()));
        if (valid.expiresAt() != null) {
            answer.put(EXPIRES_AT, valid.expiresAt().toEpochMilli());
        }
        TokenLimits limits = valid.limits();
        if (limits.rate() != null) {
            answer.put(VerifierProtocol.RATE_LIMIT,
                    List.of((long) limits.rate().requests(), (long) limits.rate().windowSeconds()));
        }
        if (limits.allowedAddresses() != null) {
            answer.put(VerifierProtocol.ALLOWED_ADDRESSES, limits.allowedAddresses());
        }
        return Map.copyOf(answer);
    }

    /**
     * @param understood the optional keys of the answer the caller acts on: a filter older than
     *                   {@link VerifierProtocol#CHANGED_SECRETS} would forget a changed secret and keep its access
     *                   tokens, so when a secret changed it is told to forget everything instead
     */
    private Map<String, Object> changesSince(long since, List<String> understood) {
        ChangeLog.Changes found = changes.since(since);
        if (!found.secrets().isEmpty() && !understood.contains(VerifierProtocol.CHANGED_SECRETS)) {
            found = new ChangeLog.Changes(found.generation(), List.of(), List.of(), List.of(), false);
        }
        return Map.of(VerifierProtocol.GENERATION, found.generation(),
                VerifierProtocol.CHANGED_TOKENS, found.tokens(),
                VerifierProtocol.CHANGED_TENANTS, found.tenants(),
                VerifierProtocol.CHANGED_SECRETS, found.secrets(),
                VerifierProtocol.COMPLETE, found.complete());
    }

    private record FailureReport(String application, Instant since, Instant until,
            List<FailureSummaries.Failure> failures, long overflow) {
    }

    private static final Set<String> REPORT_KEYS = Set.of(VerifierProtocol.APPLICATION, VerifierProtocol.SINCE,
            VerifierProtocol.UNTIL, VerifierProtocol.FAILURES, VerifierProtocol.OVERFLOW);
    private static final Set<String> FAILURE_KEYS = Set.of(VerifierProtocol.PREFIX, VerifierProtocol.CLIENT,
            VerifierProtocol.REASON, VerifierProtocol.COUNT, VerifierProtocol.TENANT);
    /** A context path: empty, or {@code /} and printable ASCII. */
    private static final Pattern APPLICATION = Pattern.compile("(/[\\x21-\\x7e]{0,199})?");
    /** Exactly a listing's prefix: {@code kg_} and five base62 characters, nothing more of a token. */
    private static final Pattern PREFIX = Pattern.compile("kg_[0-9A-Za-z]{5}");
    /** An IPv4 or IPv6 literal (with a zone), or {@code unknown}. */
    private static final Pattern CLIENT = Pattern.compile("[0-9A-Za-z.:%_-]{1,64}");
    private static final Pattern REASON = Pattern.compile("[a-z_]{1,32}");
    private static final Pattern SLUG = Pattern.compile("[a-z0-9][a-z0-9-]{0,62}");

    /** Reads a {@code recordFailures} report; {@code null} when anything in it is outside the protocol. */
    private static FailureReport failureReport(Object argument) {
        if (!(argument instanceof Map<?, ?> map) || !REPORT_KEYS.equals(map.keySet())
                || !(map.get(VerifierProtocol.APPLICATION) instanceof String application)
                || !APPLICATION.matcher(application).matches()
                || !(map.get(VerifierProtocol.SINCE) instanceof Long since) || since < 0
                || !(map.get(VerifierProtocol.UNTIL) instanceof Long until) || until < since
                || !(map.get(VerifierProtocol.OVERFLOW) instanceof Long overflow) || overflow < 0
                || !(map.get(VerifierProtocol.FAILURES) instanceof List<?> list)
                || list.size() > VerifierProtocol.MAX_FAILURE_ENTRIES) {
            return null;
        }
        List<FailureSummaries.Failure> failures = new ArrayList<>(list.size());
        for (Object item : list) {
            if (!(item instanceof Map<?, ?> failure) || !FAILURE_KEYS.containsAll(failure.keySet())
                    || !(failure.get(VerifierProtocol.CLIENT) instanceof String client)
                    || !CLIENT.matcher(client).matches()
                    || !(failure.get(VerifierProtocol.REASON) instanceof String reason)
                    || !REASON.matcher(reason).matches()
                    || !(failure.get(VerifierProtocol.COUNT) instanceof Long failed) || failed < 1) {
                return null;
            }
            Object prefix = failure.get(VerifierProtocol.PREFIX);
            Object tenant = failure.get(VerifierProtocol.TENANT);
            if (prefix != null && !(prefix instanceof String p && PREFIX.matcher(p).matches())
                    || tenant != null && !(tenant instanceof String t && SLUG.matcher(t).matches())) {
                return null;
            }
            failures.add(new FailureSummaries.Failure((String) tenant, (String) prefix, client, reason, failed));
        }
        return new FailureReport(application, Instant.ofEpochMilli(since), Instant.ofEpochMilli(until), failures,
                overflow);
    }

    /** A list of strings, as it is; {@code null} when it is anything else. */
    @SuppressWarnings("unchecked")
    private static List<String> strings(Object argument) {
        if (argument instanceof List<?> list && list.stream().allMatch(String.class::isInstance)) {
            return (List<String>) list;
        }
        return null;
    }

    /** Reads {@code tokenId -> [count, lastUsedEpochMillis]}; {@code null} when it is anything else. */
    private static Map<String, Usage> usage(Object argument) {
        if (!(argument instanceof Map<?, ?> map)) {
            return null;
        }
        Map<String, Usage> uses = new HashMap<>();
        for (Map.Entry<?, ?> entry : map.entrySet()) {
            if (!(entry.getKey() instanceof String tokenId) || tokenId.isBlank()
                    || !(entry.getValue() instanceof List<?> use) || use.size() != 2
                    || !(use.get(0) instanceof Long count) || count < 1
                    || !(use.get(1) instanceof Long lastUsed) || lastUsed < 0) {
                return null;
            }
            uses.put(tokenId, new Usage(count, Instant.ofEpochMilli(lastUsed)));
        }
        return uses;
    }
}
