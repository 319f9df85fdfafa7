package io.keygate.server.access;

import io.keygate.bearer.BearerError;
import io.keygate.bearer.BearerErrors;
import io.keygate.bearer.BearerResolution;
import io.keygate.bearer.BearerTokenResolver;
import io.keygate.metrics.Outcome;
import io.keygate.server.http.ErrorWriter;
import io.keygate.server.metrics.ServerMetrics;
import io.keygate.server.store.ApiToken;
import io.keygate.server.store.TokenStore;
import io.keygate.server.store.Verification;
import io.keygate.server.usage.UsageCounter;
import io.keygate.token.TokenHash;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * Who calls an endpoint of {@code keygate.war} that takes a bearer token (the admin API, introspection, the verifier
 * binding), decided once for all of them; each endpoint only writes the answer in its own format.
 *
 * <ol>
 * <li>The header is read by the filter jar's {@link BearerTokenResolver}: the same rules as a protected WAR (400 for
 * a malformed header, 401 without one).</li>
 * <li>A client address that failed too often ({@link ClientThrottle}, per address as at the token endpoints) is 429
 * with {@code Retry-After} (RFC 6585 section 4) before its token is looked at: without it, every invented token
 * would cost a hash and a store query, unbounded. A request without credentials costs nothing and is never
 * throttled: it is 401.</li>
 * <li>The token is verified; an unknown, revoked or expired one is 401. Such a token, and a malformed header, is a
 * failed authentication of the client address: counted by the throttle and, for the audit log, by
 * {@code FailureSummaries}. A valid token refused for its address is counted for the audit log only, as in the
 * filter: the token itself is valid.</li>
 * <li>A valid token's use counts, whatever follows: every use of a token is in its {@code usageCount}.</li>
 * <li>An access token from {@code /oauth2/token} is refused (403): these endpoints need {@code admin},
 * {@code introspect} or {@code report}, which an access token never has, and what an access token could create
 * here would outlive it.</li>
 * <li>The token's {@code allowedAddresses} (403) and {@code rateLimit} (429), shared with every other endpoint
 * through {@link TokenLimitsGate}.</li>
 * <li>One of the accepted scopes (403 {@code insufficient_scope}, naming the first).</li>
 * </ol>
 * How each call ended is counted for the metrics under {@code keygate.war}'s context path, as a protected WAR's filter
 * counts its requests. Every decision reads what the store says the token may do now ({@code Verification.Valid.scopes()},
 * {@code limits()}), never the stored row. A store fault propagates as
 * {@link io.keygate.server.store.StoreUnavailableException}: the endpoint answers 503.
 */
@ApplicationScoped
public class BearerCaller {

    /** What {@link #check} decided. */
    public sealed interface Check permits Admitted, Refused {
    }

    /**
     * The caller may go on.
     *
     * @param caller  the verdict on its token
     * @param headers to add to the answer ({@code RateLimit-*} of a rate-limited token)
     */
    public record Admitted(Verification.Valid caller, Map<String, String> headers) implements Check {

        public ApiToken token() {
            return caller.token();
        }

        /** Whether the token may use {@code scope} now. */
        public boolean has(String scope) {
            return caller.scopes().contains(scope);
        }
    }

    /**
     * The caller is refused: answer {@code error} with {@code headers}.
     *
     * @param error   status, code, description and challenge, as the filter would answer
     * @param headers {@code Retry-After} and {@code RateLimit-*} of a 429
     * @param outcome how the metrics count it
     */
    public record Refused(BearerError error, Map<String, String> headers, Outcome outcome) implements Check {
    }

    private final BearerTokenResolver resolver = new BearerTokenResolver();

    @Inject
    private FailedAuthentications failures;

    @Inject
    private TokenStore tokens;

    @Inject
    private UsageCounter usage;

    @Inject
    private TokenLimitsGate limits;

    @Inject
    private ServerMetrics metrics;

    /**
     * {@link #check} for a servlet that answers a refusal in RFC 6750 JSON ({@link ErrorWriter#bearer}).
     *
     * @return the admitted caller, or empty when the refusal is written
     */
    public Optional<Admitted> admit(HttpServletRequest request, HttpServletResponse response, List<String> accepted)
            throws IOException {
        Check check = check(request, accepted);
        if (check instanceof Refused refused) {
            ErrorWriter.bearer(response, refused.error(), refused.headers());
            return Optional.empty();
        }
        return Optional.of((Admitted) check);
    }

    /**
     * Decides, and counts how it ended in {@code keygate.war}'s own line of the metrics
     * ({@code application} its context path), as the filter counts for a protected WAR.
     *
     * @param accepted the scopes any one of which admits the caller; the first is the one a refusal names
     */
    public Check check(HttpServletRequest request, List<String> accepted) {
        Check check = decide(request, accepted);
        metrics.forApplication(request.getContextPath())
                .count(check instanceof Refused refused ? refused.outcome() : Outcome.OK);
        return check;
    }

    private Check decide(HttpServletRequest request, List<String> accepted) {
        BearerResolution resolution = resolver.resolve(request);
        if (resolution instanceof BearerResolution.Absent) {
            return refused(BearerErrors.TOKEN_REQUIRED_ERROR, Outcome.MISSING);
        }
        ClientAddress client = ClientAddress.of(request);
        OptionalLong wait = failures.retryAfter(client);
        if (wait.isPresent()) {
            return new Refused(BearerErrors.TOO_MANY_FAILURES_ERROR,
                    Map.of(ErrorWriter.RETRY_AFTER, Long.toString(wait.getAsLong())), Outcome.THROTTLED);
        }
        if (resolution instanceof BearerResolution.Malformed malformed) {
            failures.failed(client, null, null);
            return refused(BearerErrors.invalidRequest(malformed.description()), Outcome.INVALID);
        }
        String token = ((BearerResolution.Token) resolution).value();
        Verification verification = tokens.verify(TokenHash.of(token));
        if (!(verification instanceof Verification.Valid valid)) {
            failures.failed(client, null, token);
            if (verification instanceof Verification.Expired) {
                return refused(BearerErrors.EXPIRED_TOKEN_ERROR, Outcome.EXPIRED);
            }
            return refused(BearerErrors.INVALID_TOKEN_ERROR,
                    verification.revoked() ? Outcome.REVOKED : Outcome.INVALID);
        }
        ApiToken caller = valid.token();
        usage.record(caller.getId(), Instant.now());
        if (caller.getParentId() != null) {
            return refused(accessTokenRefused(accepted.get(0)), Outcome.INSUFFICIENT_SCOPE);
        }
        TokenLimitsGate.Admission admission = limits.admit(caller.getId(), valid.limits(), client);
        if (!admission.admitted()) {
            if (admission.addressRefused()) {
                failures.addressRefused(caller.getTenantSlug(), token, client);
            }
            return new Refused(admission.refusal(), admission.headers(),
                    admission.addressRefused() ? Outcome.ADDRESS_NOT_ALLOWED : Outcome.RATE_LIMITED);
        }
        if (accepted.stream().noneMatch(valid.scopes()::contains)) {
            return new Refused(BearerErrors.insufficientScope(accepted.get(0)), admission.headers(),
                    Outcome.INSUFFICIENT_SCOPE);
        }
        return new Admitted(valid, admission.headers());
    }

    /** 403 {@code insufficient_scope} that says why: no scope an access token can have is enough here. */
    static BearerError accessTokenRefused(String scope) {
        return new BearerError(403, BearerErrors.INSUFFICIENT_SCOPE, "An access token from /oauth2/token cannot be"
                + " used here; use the API secret's own token with the scope " + scope, scope,
                BearerError.Challenge.WITH_ERROR);
    }

    private static Refused refused(BearerError error, Outcome outcome) {
        return new Refused(error, Map.of(), outcome);
    }
}
