package io.keygate.server.admin;

import io.keygate.server.store.TokenLimits;
import io.keygate.server.store.TokenStatus;
import io.keygate.token.Scopes;
import io.keygate.transport.IpRange;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * The admin API's rules for slugs, names, owners, scopes, expiry and a listing's token status, each failing with a
 * 400 that says why.
 */
final class Validation {

    private static final Pattern SLUG = Pattern.compile("[a-z0-9][a-z0-9-]{0,62}");
    private static final int MAX_NAME = 100;
    private static final int MAX_SCOPES = 50;
    private static final int MAX_ADDRESSES = 50;
    /** The SCOPES and ALLOWED_ADDRESSES columns of ApiToken hold this many characters. */
    private static final int MAX_LIST_CHARS = 1000;
    static final String RATE_LIMIT = "rateLimit";
    static final String ALLOWED_ADDRESSES = "allowedAddresses";
    private static final long MIN_LIFETIME_SECONDS = 3600;
    private static final long MAX_LIFETIME_SECONDS = 10L * 366 * 24 * 3600;

    private Validation() {
    }

    static boolean isSlug(String text) {
        return SLUG.matcher(text).matches();
    }

    static String slug(String slug) {
        if (!isSlug(slug)) {
            throw ApiProblem.badRequest("'slug' must match [a-z0-9][a-z0-9-]{0,62}: lower-case letters, digits and"
                    + " '-', up to 63 characters, not starting with '-'");
        }
        return slug;
    }

    /**
     * Names and owners: 1-100 characters, not blank, no control characters. Counted in UTF-16 code units, as H2
     * counts its {@code VARCHAR(100)} columns: a character outside the BMP (an emoji) counts as two.
     */
    static String text(String field, String value) {
        int length = value.length();
        if (value.isBlank() || length > MAX_NAME) {
            throw ApiProblem.badRequest("'" + field + "' must be 1-" + MAX_NAME + " characters and not blank; got "
                    + length + " characters");
        }
        if (value.chars().anyMatch(Character::isISOControl)) {
            throw ApiProblem.badRequest("'" + field + "' must not contain control characters");
        }
        return value;
    }

    static Set<String> scopes(List<String> scopes) {
        if (scopes.isEmpty() || scopes.size() > MAX_SCOPES) {
            throw ApiProblem.badRequest("'scopes' must list 1-" + MAX_SCOPES + " scopes, such as [\"read\"]");
        }
        for (String scope : scopes) {
            if (!Scopes.isValidName(scope)) {
                throw ApiProblem.badRequest("Unknown scope '" + JsonInput.excerpt(scope) + "': scope names match"
                        + " [a-z][a-z0-9_.:-]{0,63}, e.g. read, write, admin, reports:read");
            }
        }
        Set<String> distinct = new LinkedHashSet<>(scopes);
        if (String.join(" ", distinct).length() > MAX_LIST_CHARS) {
            throw ApiProblem.badRequest("'scopes' must fit in " + MAX_LIST_CHARS + " characters, separated by spaces");
        }
        return distinct;
    }

    /** A tenant's maximum token lifetime: one hour to ten years, in seconds. */
    static Duration maxTokenLifetime(long seconds) {
        if (seconds < MIN_LIFETIME_SECONDS || seconds > MAX_LIFETIME_SECONDS) {
            throw ApiProblem.badRequest("'maxTokenLifetimeSeconds' must be from " + MIN_LIFETIME_SECONDS + " to "
                    + MAX_LIFETIME_SECONDS + " (ten years), or null for no limit");
        }
        return Duration.ofSeconds(seconds);
    }

    /**
     * The token limits in a create or PATCH body: {@code "rateLimit": {"requests": 100, "windowSeconds": 60}}
     * and {@code "allowedAddresses": ["203.0.113.0/24", "2001:db8::1"]}; {@code null} removes a limit.
     *
     * @param current the limits to change, or {@link TokenLimits#NONE} for a new token
     * @return the limits after the body, or {@code null} when the body touches neither
     */
    static TokenLimits limits(JsonInput input, TokenLimits current) {
        if (!input.present(RATE_LIMIT) && !input.present(ALLOWED_ADDRESSES)) {
            return null;
        }
        TokenLimits.Rate rate = current.rate();
        if (input.present(RATE_LIMIT)) {
            rate = input.nested(RATE_LIMIT, Set.of("requests", "windowSeconds")).map(r -> new TokenLimits.Rate(
                    (int) bounded(r.integer("requests"), RATE_LIMIT + ".requests", 1, 1_000_000),
                    (int) bounded(r.integer("windowSeconds"), RATE_LIMIT + ".windowSeconds", 1, 86_400)))
                    .orElse(null);
        }
        List<String> addresses = current.allowedAddresses();
        if (input.present(ALLOWED_ADDRESSES)) {
            addresses = input.stringList(ALLOWED_ADDRESSES).map(Validation::addresses).orElse(null);
        }
        return new TokenLimits(rate, addresses);
    }

    private static long bounded(java.util.Optional<Long> value, String field, long min, long max) {
        long number = value.orElseThrow(() -> ApiProblem.badRequest("'" + field + "' is required"));
        if (number < min || number > max) {
            throw ApiProblem.badRequest("'" + field + "' must be from " + min + " to " + max);
        }
        return number;
    }

    private static List<String> addresses(List<String> addresses) {
        if (addresses.isEmpty() || addresses.size() > MAX_ADDRESSES) {
            throw ApiProblem.badRequest("'" + ALLOWED_ADDRESSES + "' must list 1-" + MAX_ADDRESSES
                    + " addresses or CIDR blocks, or be null for anywhere");
        }
        List<String> parsed = new java.util.ArrayList<>();
        for (String address : addresses) {
            try {
                parsed.add(IpRange.parse(address.trim()).text());
            } catch (IllegalArgumentException e) {
                throw ApiProblem.badRequest("'" + ALLOWED_ADDRESSES + "' has an entry that is not an IP address or"
                        + " CIDR block: '" + JsonInput.excerpt(address) + "'");
            }
        }
        if (String.join(",", parsed).length() > MAX_LIST_CHARS) {
            throw ApiProblem.badRequest("'" + ALLOWED_ADDRESSES + "' must fit in " + MAX_LIST_CHARS
                    + " characters, separated by commas");
        }
        return parsed;
    }

    /**
     * A listing's {@code ?status=}: {@code null} (every status) when absent, else exactly one of the values its
     * tokens' {@code status} field takes. The value given is not repeated in the answer: it might be a token pasted
     * into the wrong place.
     */
    static TokenStatus status(String status) {
        if (status == null) {
            return null;
        }
        return Stream.of(TokenStatus.values()).filter(s -> s.json().equals(status)).findFirst()
                .orElseThrow(() -> ApiProblem.badRequest("'status' must be one of " + Stream.of(TokenStatus.values())
                        .map(TokenStatus::json).collect(Collectors.joining(", "))));
    }

    static Instant futureExpiry(Instant expiresAt, Instant now) {
        if (expiresAt != null && !expiresAt.isAfter(now)) {
            throw ApiProblem.badRequest("'expiresAt' must be in the future");
        }
        return expiresAt;
    }
}
