package io.keygate.server.store;

import io.keygate.token.TokenFormat;
import io.keygate.token.TokenHash;
import jakarta.persistence.EntityManager;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * Tokens: issued, verified, listed and revoked. The plaintext of a new token leaves this class exactly once, in
 * the {@link IssuedToken} that {@link #issue} returns; only its SHA-256 is written. The bootstrap admin tokens are
 * settled by {@link BootstrapAdmins}, access tokens issued at the token endpoint by {@link AccessTokens}, and their
 * counted uses written by {@link UsageWrites}.
 */
public class TokenStore {

    private final Database db;
    private final Clock clock;
    private final SecureRandom random = new SecureRandom();

    public TokenStore(Database db, Clock clock) {
        this.db = db;
        this.clock = clock;
    }

    /** A new token and the one copy of its plaintext. */
    public record IssuedToken(ApiToken token, String plaintext) {
    }

    /**
     * What {@link #revoke} found.
     *
     * @param token   the token as it now is (revoked)
     * @param changed whether this call revoked it; {@code false} when it was revoked already, so that a caller
     *                reports, audits and publishes a revocation once, however often it is asked for
     */
    public record Revocation(ApiToken token, boolean changed) {
    }

    /**
     * Issues a token to {@code tenantSlug} ({@code null} for a global admin token).
     *
     * @return the token, or empty when the tenant does not exist
     */
    public Optional<IssuedToken> issue(String tenantSlug, TokenDetails details) {
        return issue(tenantSlug, details, TokenLimits.NONE);
    }

    /** Issues a token with a rate limit or an address allowlist (see {@link #issue(String, TokenDetails)}). */
    public Optional<IssuedToken> issue(String tenantSlug, TokenDetails details, TokenLimits limits) {
        String plaintext = TokenFormat.generate(random);
        return Optional.ofNullable(db.inTransaction(em -> {
            Tenant tenant = tenantSlug == null ? null : em.find(Tenant.class, tenantSlug);
            if (tenantSlug != null && tenant == null) {
                return null;
            }
            TokenRows.checkLifetime(tenant, details.expiresAt(), clock.instant());
            ApiToken token = new ApiToken(TokenRows.newId(random), tenantSlug, TokenHash.of(plaintext),
                    TokenFormat.displayPrefix(plaintext), details, clock.instant());
            token.setLimits(limits);
            em.persist(token);
            return new IssuedToken(token, plaintext);
        }));
    }

    /**
     * Looks the token up by its hash and decides. The hash equality is checked again in constant time after
     * the indexed look-up, so no code path compares secrets with {@code equals}.
     *
     * <p>An access token is decided by its secret as stored now ({@link Standing}), read by primary key after the
     * access token's own row: revoked or gone is {@link Verification#INVALID}, expired (a rotation whose grace
     * ended) {@link Verification#EXPIRED}, and what it may do is what the secret still allows. Revocation and
     * expiry never go back, so reading the secret after its access token can only see it as ended sooner: however
     * an exchange and a revocation interleave, an access token never outlives its secret.
     */
    public Verification verify(String hash) {
        Instant now = clock.instant();
        return db.read(em -> {
            List<ApiToken> found = em.createQuery("SELECT t FROM ApiToken t WHERE t.hash = :hash", ApiToken.class)
                    .setParameter("hash", hash).getResultList();
            if (found.isEmpty() || !TokenHash.matches(found.get(0).getHash(), hash)) {
                return Verification.INVALID;
            }
            ApiToken token = found.get(0);
            if (token.statusAt(now) == TokenStatus.REVOKED) {
                return Verification.REVOKED;
            }
            if (!tenantEnabled(em, token.getTenantSlug())) {
                return Verification.INVALID;
            }
            ApiToken parent = token.getParentId() == null ? null : em.find(ApiToken.class, token.getParentId());
            Standing standing = Standing.of(token, parent, now);
            return switch (standing.status()) {
                case REVOKED -> Verification.REVOKED;
                case EXPIRED -> Verification.EXPIRED;
                case ACTIVE -> new Verification.Valid(token, standing.scopes(), standing.limits(),
                        standing.expiresAt());
            };
        });
    }

    /** The token {@code id} of {@code tenantSlug} ({@code null}: a global admin token). */
    public Optional<ApiToken> find(String tenantSlug, String id) {
        return Optional.ofNullable(db.read(em -> TokenRows.findIn(em, tenantSlug, id)));
    }

    /**
     * Tokens an admin created (not the access tokens they issued), newest first, {@code limit} per page,
     * starting after {@code after} (or at the newest).
     */
    public Page<ApiToken> list(String tenantSlug, int limit, Cursor after) {
        return list(tenantSlug, limit, after, null);
    }

    /** As {@link #list(String, int, Cursor)}, only the tokens of {@code status} now (all when {@code null}). */
    public Page<ApiToken> list(String tenantSlug, int limit, Cursor after, TokenStatus status) {
        var request = new TokenListing.Request(tenantSlug, limit + 1, after, status, clock.instant());
        List<ApiToken> rows = db.read(em -> TokenListing.read(em, db.isMariaDb(), request));
        return Pages.of(rows, limit, t -> new Cursor(t.getCreatedAt(), t.getId()));
    }

    /**
     * Revokes the token, and so every access token it issued ({@link #verify} asks the secret); revoking a revoked
     * token changes nothing.
     *
     * <p>One conditional {@code UPDATE} of the one row rather than read, change, write: two admins revoking at once
     * both succeed (the first instant is kept), and the version it raises makes a rotation racing it lose with
     * {@link ConflictException}. A rotation that committed first is simply followed by the revocation. The access
     * tokens' rows are not touched, so a secret with 100 000 of them is revoked in the same few statements; the
     * row lock this {@code UPDATE} takes is what an exchange racing it waits for
     * ({@link AccessTokens#issueAccessToken}).
     *
     * @return the token as it now is and whether this call revoked it, or empty when there is no such token
     */
    public Optional<Revocation> revoke(String tenantSlug, String id) {
        Instant now = clock.instant();
        return Optional.ofNullable(db.inTransaction(em -> {
            String owner = tenantSlug == null ? "t.tenantSlug IS NULL" : "t.tenantSlug = :tenant";
            var update = em.createQuery("UPDATE ApiToken t SET t.revokedAt = :now, t.version = t.version + 1"
                            + " WHERE t.id = :id AND " + owner + " AND t.revokedAt IS NULL")
                    .setParameter("now", now)
                    .setParameter("id", id);
            if (tenantSlug != null) {
                update.setParameter("tenant", tenantSlug);
            }
            boolean changed = update.executeUpdate() > 0;
            ApiToken token = TokenRows.findIn(em, tenantSlug, id);
            return token == null ? null : new Revocation(token, changed);
        }));
    }

    /**
     * Changes a token's name, scopes or limits in one transaction; the version check makes a change racing a
     * revocation or rotation lose with {@link ConflictException}. A secret's access tokens follow the change on
     * their next verification: nothing of theirs is written.
     *
     * @return the token as it now is, or empty when there is no such token
     * @throws ConflictException when the token is an access token, which follows its secret
     */
    public Optional<ApiToken> update(String tenantSlug, String id, TokenChanges changes) {
        return Optional.ofNullable(db.inTransaction(em -> {
            ApiToken token = TokenRows.findIn(em, tenantSlug, id);
            if (token != null) {
                refuseAccessToken(token, "changed");
                changes.applyTo(token);
            }
            return token;
        }));
    }

    /**
     * Replaces an active token by a new one with the same name, owner, scopes and expiry (or {@code newExpiry}
     * when given). The old token keeps working for {@code grace} (none when zero), then expires; it names its
     * successor in {@code replacedBy}.
     *
     * @return the replaced token and the new one, or empty when there is no such token
     * @throws ConflictException when the token is revoked, expired, already replaced or an access token (which
     *                           follows its secret and must not outlive it), or another admin changed it at the
     *                           same moment
     */
    public Optional<Rotation> rotate(String tenantSlug, String id, Duration grace, Instant newExpiry) {
        String plaintext = TokenFormat.generate(random);
        Instant now = clock.instant();
        return Optional.ofNullable(db.inTransaction(em -> {
            ApiToken old = TokenRows.findIn(em, tenantSlug, id);
            if (old == null) {
                return null;
            }
            refuseAccessToken(old, "rotated");
            TokenStatus status = old.statusAt(now);
            if (status != TokenStatus.ACTIVE) {
                throw new ConflictException("Only an active token can be rotated; this one is " + status.json());
            }
            if (old.getReplacedBy() != null) {
                throw new ConflictException("This token was already rotated; it is replaced by " + old.getReplacedBy());
            }
            Instant expiresAt = newExpiry != null ? newExpiry : old.getExpiresAt();
            TokenRows.checkLifetime(tenantSlug == null ? null : em.find(Tenant.class, tenantSlug), expiresAt, now);
            ApiToken successor = new ApiToken(TokenRows.newId(random), tenantSlug, TokenHash.of(plaintext),
                    TokenFormat.displayPrefix(plaintext),
                    new TokenDetails(old.getName(), old.getOwner(), old.getScopes(), expiresAt), now);
            successor.setLimits(old.getLimits());
            em.persist(successor);
            Instant graceEnd = now.plus(grace);
            if (old.getExpiresAt() == null || graceEnd.isBefore(old.getExpiresAt())) {
                old.setExpiresAt(graceEnd);
            }
            old.setReplacedBy(successor.getId());
            // Its access tokens end with it: verify reads the old secret's expiry, so nothing of theirs is written.
            return new Rotation(old, new IssuedToken(successor, plaintext));
        }));
    }

    /**
     * Revokes the token with this hash, and so the access tokens it issued (RFC 7009: whoever holds a token may
     * revoke it).
     *
     * @return the revoked token and whether this call revoked it, or empty when no token has this hash
     */
    public Optional<Revocation> revokeByHash(String hash) {
        Optional<ApiToken> token = db.read(em -> em.createQuery("SELECT t FROM ApiToken t WHERE t.hash = :hash",
                ApiToken.class).setParameter("hash", hash).getResultList().stream().findFirst());
        return token.flatMap(t -> revoke(t.getTenantSlug(), t.getId()));
    }

    /** An access token follows its secret: changing or rotating it alone would let it outlive or outrank it. */
    private static void refuseAccessToken(ApiToken token, String what) {
        if (token.getParentId() != null) {
            throw new ConflictException("An access token cannot be " + what + ": it follows the secret that issued it"
                    + " (" + token.getParentId() + "); change or rotate that secret instead");
        }
    }

    /** A global token ({@code tenantSlug == null}) has no tenant to switch it off. */
    private static boolean tenantEnabled(EntityManager em, String tenantSlug) {
        Tenant tenant = tenantSlug == null ? null : em.find(Tenant.class, tenantSlug);
        return tenantSlug == null || (tenant != null && tenant.isApiAccessEnabled());
    }
}
