package io.keygate.server.verify;

import io.keygate.limits.CountBoard;
import io.keygate.protocol.ChangeSet;
import io.keygate.protocol.FailureReport;
import io.keygate.protocol.UsageReport;
import io.keygate.protocol.Verdict;
import io.keygate.protocol.VerifierProtocol;
import io.keygate.server.audit.FailureSummaries;
import io.keygate.server.metrics.ServerMetrics;
import io.keygate.server.store.ApiToken;
import io.keygate.server.store.TokenLimits;
import io.keygate.server.store.Usage;
import io.keygate.server.store.Verification;
import io.keygate.server.usage.UsageCounter;
import io.keygate.server.usage.UsageSources;
import java.time.Instant;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * The six functions of {@link VerifierProtocol}, on plain objects, so that the protocol can be tested without a
 * container; {@link TokenVerifier} is the EJB that exposes them. Arguments and answers are JDK types only, each
 * message written and read by its type in {@code io.keygate.protocol}, which the filter uses too.
 *
 * <ul>
 * <li>{@code verify(String hash)}: the store's {@link Verdict}. It no longer counts a use: the filter counts every
 * request, cached or not, and hands the counts over.</li>
 * <li>{@code subscribe()}: the {@link ChangeLog}'s generation.</li>
 * <li>{@code changesSince(Long[, List<String>])}: the {@link ChangeSet} after that generation; incomplete for a
 * caller that does not name {@link VerifierProtocol#CHANGED_SECRETS} in the second argument when a secret changed,
 * since it would keep that secret's access tokens.</li>
 * <li>{@code recordUsage(Map<String, List<Long>>[, Supplier])}: a {@link UsageReport} merged into the
 * {@link UsageCounter}, which writes it with its next batch; {@code FALSE} once it has written its last batch. The
 * filter's source of counts, when given, is kept for {@link #takeUsageFromFilters}.</li>
 * <li>{@code recordFailures(Map<String, Object>)}: a filter's {@link FailureReport}, counted into the
 * {@link FailureSummaries} (which bound and rate-limit what reaches the audit log); {@code FALSE} once they have
 * written their last summaries.</li>
 * <li>{@code limits()}: the server's {@link CountBoard}, the same objects for every filter; in process only (the
 * HTTP binding refuses it).</li>
 * <li>{@code metrics(String application)}: that WAR's counts in the {@link ServerMetrics}, the same objects every
 * time; in process only.</li>
 * </ul>
 * Anything else, including arguments that their type refuses, is {@link NoSuchMethodException}.
 */
public class VerifierFunctions {

    private static final Map<String, Object> INVALID = Verdict.INVALID.toWire();
    private static final Map<String, Object> REVOKED = Verdict.REVOKED.toWire();
    private static final Map<String, Object> EXPIRED = Verdict.EXPIRED.toWire();

    private final Function<String, Verification> store;
    private final ChangeLog changes;
    private final UsageCounter usage;
    private final FailureSummaries failures;
    private final CountBoard board;
    private final ServerMetrics metrics;
    private final LongAdder verifyCalls = new LongAdder();
    private final UsageSources sources = new UsageSources();

    /**
     * @param store the store's verdict on a token hash ({@code TokenStore::verify})
     * @param board   where every WAR of the server counts rate limits and failures
     * @param metrics where every WAR's filter counts for the metrics, and store look-ups are timed
     */
    public VerifierFunctions(Function<String, Verification> store, ChangeLog changes, UsageCounter usage,
            FailureSummaries failures, CountBoard board, ServerMetrics metrics) {
        this.store = store;
        this.board = board;
        this.metrics = metrics;
        this.changes = changes;
        this.usage = usage;
        this.failures = failures;
    }

    /** Runs function {@code name}; what {@code Invocable.invokeFunction} of the verifier does. */
    public Object invoke(String name, Object... args) throws NoSuchMethodException {
        List<Object> arguments = args == null ? List.of() : Arrays.asList(args);
        Optional<Object> answer = switch (name == null ? "" : name) {
            case VerifierProtocol.VERIFY -> arguments.size() == 1 && arguments.get(0) instanceof String hash
                    ? Optional.of(verify(hash)) : Optional.empty();
            case VerifierProtocol.SUBSCRIBE -> arguments.isEmpty() ? Optional.of(changes.generation())
                    : Optional.empty();
            case VerifierProtocol.CHANGES_SINCE -> changesSince(arguments);
            case VerifierProtocol.RECORD_USAGE -> recordUsage(arguments);
            case VerifierProtocol.LIMITS -> arguments.isEmpty() ? Optional.of(board.toWire()) : Optional.empty();
            case VerifierProtocol.METRICS -> arguments.size() == 1 && arguments.get(0) instanceof String application
                    ? Optional.of(metrics.forApplication(application).toWire()) : Optional.empty();
            case VerifierProtocol.RECORD_FAILURES -> arguments.size() == 1
                    ? FailureReport.fromWire(arguments.get(0)).map(this::recordFailures) : Optional.empty();
            default -> Optional.empty();
        };
        return answer.orElseThrow(() -> new NoSuchMethodException(
                "the Keygate verifier has no function '" + name + "' with these arguments"));
    }

    /**
     * Takes the uses every filter in this JVM still counts and adds them to the counts: {@code keygate.war} is
     * stopping, and calls this before it writes its last batch.
     */
    public void takeUsageFromFilters() {
        for (Object batch : sources.takeAll()) {
            UsageReport.fromWire(batch).filter(report -> !report.uses().isEmpty())
                    .ifPresent(report -> usage.recordAll(uses(report)));
        }
    }

    /** How many times {@code verify} was called since {@code keygate.war} started. */
    public long verifyCalls() {
        return verifyCalls.sum();
    }

    private Map<String, Object> verify(String hash) {
        verifyCalls.increment();
        long start = System.nanoTime();
        Verification verification = store.apply(hash);
        metrics.storeLookups().accept(System.nanoTime() - start);
        if (verification instanceof Verification.Expired) {
            return EXPIRED;
        }
        if (verification.revoked()) {
            return REVOKED;
        }
        if (!(verification instanceof Verification.Valid valid) || valid.token().getTenantSlug() == null) {
            return INVALID;
        }
        ApiToken token = valid.token();
        TokenLimits limits = valid.limits();
        Verdict.RateLimit rate = limits.rate() == null ? null
                : new Verdict.RateLimit(limits.rate().requests(), limits.rate().windowSeconds());
        return new Verdict.Valid(token.getTenantSlug(), token.getId(), token.getName(), token.principalName(),
                List.copyOf(valid.scopes()), valid.expiresAt() == null ? null : valid.expiresAt().toEpochMilli(),
                rate, limits.allowedAddresses(), token.getParentId()).toWire();
    }

    /**
     * {@code changesSince(Long)} or {@code changesSince(Long, List<String> understood)}: a caller that does not name
     * {@link VerifierProtocol#CHANGED_SECRETS} among the keys it acts on would forget a changed secret and keep its
     * access tokens, so when a secret changed it is told to forget everything instead.
     */
    private Optional<Object> changesSince(List<Object> arguments) {
        if (arguments.isEmpty() || arguments.size() > 2 || !(arguments.get(0) instanceof Long since)) {
            return Optional.empty();
        }
        List<String> understood = List.of();
        if (arguments.size() == 2) {
            if (!(arguments.get(1) instanceof List<?> list) || !list.stream().allMatch(String.class::isInstance)) {
                return Optional.empty();
            }
            understood = list.stream().map(String.class::cast).toList();
        }
        ChangeSet found = changes.since(since);
        if (!found.secrets().isEmpty() && !understood.contains(VerifierProtocol.CHANGED_SECRETS)) {
            found = ChangeSet.incomplete(found.generation());
        }
        return Optional.of(found.toWire());
    }

    /** {@code recordUsage(report)}, or in process {@code recordUsage(report, source)}. */
    private Optional<Object> recordUsage(List<Object> arguments) {
        boolean withSource = arguments.size() == 2 && arguments.get(1) instanceof Supplier<?>;
        if (arguments.size() != 1 && !withSource) {
            return Optional.empty();
        }
        return UsageReport.fromWire(arguments.get(0)).map(report -> {
            if (withSource) {
                sources.add((Supplier<?>) arguments.get(1));
            }
            return usage.recordAll(uses(report));
        });
    }

    private boolean recordFailures(FailureReport report) {
        List<FailureSummaries.Failure> summaries = report.failures().stream()
                .map(f -> new FailureSummaries.Failure(f.tenant(), f.prefix(), f.client(), f.reason(), f.count()))
                .toList();
        return failures.report(report.application(), Instant.ofEpochMilli(report.since()),
                Instant.ofEpochMilli(report.until()), summaries, report.overflow());
    }

    private static Map<String, Usage> uses(UsageReport report) {
        Map<String, Usage> uses = new HashMap<>();
        report.uses().forEach((tokenId, use) ->
                uses.put(tokenId, new Usage(use.count(), Instant.ofEpochMilli(use.lastUsedMillis()))));
        return uses;
    }
}
