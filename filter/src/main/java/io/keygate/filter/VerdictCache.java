package io.keygate.filter;

import java.util.Collection;
import java.util.HashSet;
import java.util.Set;

/**
 * The verifier's recent verdicts, keyed by token hash (never by the token): valid tokens for
 * {@code keygate.cache.ttl-seconds}, refusals (unknown, revoked, expired, tenant off) for
 * {@code keygate.cache.negative-ttl-seconds}, each in a map of at most {@code keygate.cache.max-entries}.
 *
 * <p>Two maps, not one, so that a flood of invented tokens can push out only other refusals, never the valid
 * tokens of real clients. A valid entry never outlives its token's {@code expiresAt}: once that has passed, the
 * verifier is asked again and answers "expired". {@link VerificationResult.Unavailable} is never kept: it is
 * not a verdict.
 *
 * <p>This class only stores; deciding when storing is safe, and forgetting what changed, is
 * {@link InvalidationSync}'s job.
 */
final class VerdictCache {

    private final ExpiringMap<VerificationResult.Valid> valid;
    private final ExpiringMap<VerificationResult> refused;
    private final CacheSettings settings;

    VerdictCache(CacheSettings settings) {
        this.settings = settings;
        this.valid = new ExpiringMap<>(settings.ttlMillis() > 0 ? settings.maxEntries() : 0);
        this.refused = new ExpiringMap<>(settings.negativeTtlMillis() > 0 ? settings.maxEntries() : 0);
    }

    /** The kept verdict on {@code hash}, or {@code null}. */
    VerificationResult lookup(String hash, long now) {
        VerificationResult.Valid hit = valid.get(hash, now);
        return hit != null ? hit : refused.get(hash, now);
    }

    /** Keeps {@code result} if it is a verdict. */
    void remember(String hash, VerificationResult result, long now) {
        if (result instanceof VerificationResult.Valid ok) {
            long deadline = now + settings.ttlMillis();
            Long expiresAt = ok.token().expiresAt();
            valid.put(hash, ok, expiresAt == null ? deadline : Math.min(deadline, expiresAt), now);
        } else if (result instanceof VerificationResult.Invalid || result instanceof VerificationResult.Expired) {
            refused.put(hash, result, now + settings.negativeTtlMillis(), now);
        }
    }

    /**
     * Forgets the valid verdicts on these tokens, on every token of these tenants, on these secrets (by token id)
     * and on every access token they issued (by parent id), and every refusal: a refusal may have been "tenant
     * switched off", and the change may have switched it back on. The scans run only here, on a change, never on
     * a request.
     */
    void forget(Collection<String> hashes, Collection<String> tenants, Collection<String> secrets) {
        hashes.forEach(valid::remove);
        if (!tenants.isEmpty()) {
            Set<String> changed = new HashSet<>(tenants);
            valid.removeIf(ok -> changed.contains(ok.token().tenant()));
        }
        if (!secrets.isEmpty()) {
            Set<String> changed = new HashSet<>(secrets);
            valid.removeIf(ok -> changed.contains(ok.token().tokenId())
                    || ok.token().parentId() != null && changed.contains(ok.token().parentId()));
        }
        refused.clear();
    }

    void clear() {
        valid.clear();
        refused.clear();
    }

    int validEntries() {
        return valid.size();
    }

    int refusedEntries() {
        return refused.size();
    }
}
