package io.keygate.server.store;

import io.keygate.server.store.TokenStore.IssuedToken;
import io.keygate.token.TokenFormat;
import io.keygate.token.TokenHash;
import jakarta.persistence.LockModeType;
import jakarta.persistence.TypedQuery;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Access tokens: the short-lived tokens an API secret is exchanged for at the token endpoint, issued, listed under
 * their secret and deleted once long expired. They are verified, revoked and listed by id like every token
 * ({@link TokenStore}), and follow their secret there: nothing of theirs is written when it changes.
 */
public class AccessTokens {

    private final Database db;
    private final Clock clock;
    private final SecureRandom random = new SecureRandom();

    public AccessTokens(Database db, Clock clock) {
        this.db = db;
        this.clock = clock;
    }

    /**
     * Issues a short-lived access token for the API secret {@code parentId}, with {@code scopes} (no more than
     * the secret's; the caller checks) and at most {@code lifetime}, never outliving the secret.
     *
     * <p>The secret's row is read with a pessimistic write lock ({@code SELECT ... FOR UPDATE}), so an exchange and
     * a revocation or rotation of the same secret take turns: an exchange that waited sees the secret ended and
     * issues nothing. What makes every interleaving safe, though, is that {@link TokenStore#verify} decides an
     * access token by its secret as it is then; the lock only spares the client a token that is dead on arrival.
     *
     * @return the access token, or empty when the secret is no longer active
     */
    public Optional<IssuedToken> issueAccessToken(String parentId, Set<String> scopes, Duration lifetime) {
        String plaintext = TokenFormat.generate(random);
        Instant now = clock.instant();
        return Optional.ofNullable(db.inTransaction(em -> {
            ApiToken parent = em.find(ApiToken.class, parentId, LockModeType.PESSIMISTIC_WRITE);
            if (parent == null || parent.statusAt(now) != TokenStatus.ACTIVE || parent.getParentId() != null) {
                return null;
            }
            Instant expiresAt = now.plus(lifetime);
            if (parent.getExpiresAt() != null && parent.getExpiresAt().isBefore(expiresAt)) {
                expiresAt = parent.getExpiresAt();
            }
            ApiToken token = ApiToken.accessToken(TokenRows.newId(random), parent, TokenHash.of(plaintext),
                    TokenFormat.displayPrefix(plaintext), scopes, expiresAt, now);
            em.persist(token);
            return new IssuedToken(token, plaintext);
        }));
    }

    /** The access tokens {@code parentId} issued, newest first, paged like {@link TokenStore#list}. */
    public Page<ApiToken> listIssuedBy(String parentId, int limit, Cursor after) {
        List<ApiToken> rows = db.read(em -> {
            String position = after == null ? ""
                    : " AND " + Pages.after("t", "id");
            TypedQuery<ApiToken> query = em.createQuery("SELECT t FROM ApiToken t WHERE t.parentId = :parent"
                    + position + " ORDER BY t.createdAt DESC, t.id DESC", ApiToken.class)
                    .setParameter("parent", parentId);
            if (after != null) {
                query.setParameter("createdAt", after.createdAt()).setParameter("key", after.key());
            }
            return query.setMaxResults(limit + 1).getResultList();
        });
        return Pages.of(rows, limit, t -> new Cursor(t.getCreatedAt(), t.getId()));
    }

    /**
     * Deletes the access tokens that expired before {@code cutoff}. They can never work again, and a client that
     * exchanges its secret every hour would otherwise leave 8760 rows a year behind. Secrets and admin-created
     * tokens are never deleted: revoked and expired ones stay listed, as the admin API promises.
     *
     * @return how many were deleted
     */
    public int purgeExpiredAccessTokens(Instant cutoff) {
        return db.inTransaction(em -> em.createQuery("DELETE FROM ApiToken t WHERE t.parentId IS NOT NULL"
                + " AND t.expiresAt < :cutoff").setParameter("cutoff", cutoff).executeUpdate());
    }
}
