package io.keygate.server.admin;

import io.keygate.token.Scopes;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/** The admin API's rules for slugs, names, owners, scopes and expiry, each failing with a 400 that says why. */
final class Validation {

    private static final Pattern SLUG = Pattern.compile("[a-z0-9][a-z0-9-]{0,62}");
    private static final int MAX_NAME = 100;
    private static final int MAX_SCOPES = 50;
    private static final long MIN_LIFETIME_SECONDS = 3600;
    private static final long MAX_LIFETIME_SECONDS = 10L * 366 * 24 * 3600;

    private Validation() {
    }

    static String slug(String slug) {
        if (!SLUG.matcher(slug).matches()) {
            throw ApiProblem.badRequest("'slug' must match [a-z0-9][a-z0-9-]{0,62}: lower-case letters, digits and"
                    + " '-', up to 63 characters, not starting with '-'");
        }
        return slug;
    }

    /** Names and owners: 1-100 characters, not blank, no control characters. */
    static String text(String field, String value) {
        int length = value.codePointCount(0, value.length());
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
                throw ApiProblem.badRequest("Unknown scope '" + (scope.length() > 64 ? scope.substring(0, 64) : scope)
                        .replaceAll("[^\\x20-\\x7E]", "?") + "': scope names match [a-z][a-z0-9_.:-]{0,63},"
                        + " e.g. read, write, admin, reports:read");
            }
        }
        return new LinkedHashSet<>(scopes);
    }

    /** A tenant's maximum token lifetime: one hour to ten years, in seconds. */
    static Duration maxTokenLifetime(long seconds) {
        if (seconds < MIN_LIFETIME_SECONDS || seconds > MAX_LIFETIME_SECONDS) {
            throw ApiProblem.badRequest("'maxTokenLifetimeSeconds' must be from " + MIN_LIFETIME_SECONDS + " to "
                    + MAX_LIFETIME_SECONDS + " (ten years), or null for no limit");
        }
        return Duration.ofSeconds(seconds);
    }

    static Instant futureExpiry(Instant expiresAt, Instant now) {
        if (expiresAt != null && !expiresAt.isAfter(now)) {
            throw ApiProblem.badRequest("'expiresAt' must be in the future");
        }
        return expiresAt;
    }
}
