package io.keygate.server.verify;

import static io.keygate.token.VerifierProtocol.EXPIRES_AT;
import static io.keygate.token.VerifierProtocol.PRINCIPAL;
import static io.keygate.token.VerifierProtocol.RESULT;
import static io.keygate.token.VerifierProtocol.SCOPES;
import static io.keygate.token.VerifierProtocol.TENANT;
import static io.keygate.token.VerifierProtocol.TOKEN_ID;
import static io.keygate.token.VerifierProtocol.TOKEN_NAME;

import io.keygate.server.store.ApiToken;
import io.keygate.server.store.TokenLimits;
import io.keygate.server.store.Usage;
import io.keygate.server.store.Verification;
import io.keygate.server.usage.UsageCounter;
import io.keygate.server.usage.UsageSources;
import io.keygate.token.VerifierProtocol;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * The four functions of {@link VerifierProtocol}, on plain objects, so that the protocol can be tested without a
 * container; {@link TokenVerifier} is the EJB that exposes them. Arguments and answers are JDK types only.
 *
 * <ul>
 * <li>{@code verify(String hash)}: the store's verdict. It no longer counts a use: the filter counts every
 * request, cached or not, and hands the counts over.</li>
 * <li>{@code subscribe()}: the {@link ChangeLog}'s generation.</li>
 * <li>{@code changesSince(Long)}: what changed after that generation.</li>
 * <li>{@code recordUsage(Map<String, List<Long>>[, Supplier])}: counts merged into the {@link UsageCounter}, which
 * writes them with its next batch; {@code FALSE} once it has written its last batch. The filter's source of
 * counts, when given, is kept for {@link #takeUsageFromFilters}.</li>
 * </ul>
 * Anything else, including arguments of the wrong types, is {@link NoSuchMethodException}.
 */
public class VerifierFunctions {

    private static final Map<String, Object> INVALID = Map.of(RESULT, VerifierProtocol.INVALID);
    private static final Map<String, Object> EXPIRED = Map.of(RESULT, VerifierProtocol.EXPIRED);

    private final Function<String, Verification> store;
    private final ChangeLog changes;
    private final UsageCounter usage;
    private final LongAdder verifyCalls = new LongAdder();
    private final UsageSources sources = new UsageSources();

    /** @param store the store's verdict on a token hash ({@code TokenStore::verify}) */
    public VerifierFunctions(Function<String, Verification> store, ChangeLog changes, UsageCounter usage) {
        this.store = store;
        this.changes = changes;
        this.usage = usage;
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
                    return changesSince(since);
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
        answer.put(SCOPES, List.copyOf(token.getScopes()));
        if (token.getExpiresAt() != null) {
            answer.put(EXPIRES_AT, token.getExpiresAt().toEpochMilli());
        }
        TokenLimits limits = token.getLimits();
        if (limits.rate() != null) {
            answer.put(VerifierProtocol.RATE_LIMIT,
                    List.of((long) limits.rate().requests(), (long) limits.rate().windowSeconds()));
        }
        if (limits.allowedAddresses() != null) {
            answer.put(VerifierProtocol.ALLOWED_ADDRESSES, limits.allowedAddresses());
        }
        return Map.copyOf(answer);
    }

    private Map<String, Object> changesSince(long since) {
        ChangeLog.Changes found = changes.since(since);
        return Map.of(VerifierProtocol.GENERATION, found.generation(),
                VerifierProtocol.CHANGED_TOKENS, found.tokens(),
                VerifierProtocol.CHANGED_TENANTS, found.tenants(),
                VerifierProtocol.COMPLETE, found.complete());
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
