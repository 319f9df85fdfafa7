package io.keygate.server.oauth2;

import java.time.Duration;
import java.util.Locale;
import java.util.Optional;
import java.util.function.Function;

/**
 * Settings of the token endpoint, read once at start-up; a bad value fails the deployment.
 *
 * @param accessTokenLifetime {@value #LIFETIME}: how long an access token lives; default 3600 seconds
 * @param passwordGrant       {@value #PASSWORD_GRANT}: accept {@code grant_type=password}; default {@code true}
 *                            for the clients that use it, although RFC 9700 section 2.4 advises against it
 */
record OAuthSettings(Duration accessTokenLifetime, boolean passwordGrant) {

    static final String LIFETIME = "keygate.access-token.lifetime-seconds";
    static final String PASSWORD_GRANT = "keygate.oauth2.password-grant";

    static OAuthSettings from(Function<String, Optional<String>> config) {
        long seconds = config.apply(LIFETIME).filter(v -> !v.isBlank()).map(v -> {
            try {
                return Long.parseLong(v.trim());
            } catch (NumberFormatException e) {
                return -1L;
            }
        }).orElse(3600L);
        if (seconds < 60 || seconds > 86_400) {
            throw new IllegalArgumentException(LIFETIME + " must be a number of seconds from 60 to 86400, got '"
                    + config.apply(LIFETIME).orElse("") + "'");
        }
        String password = config.apply(PASSWORD_GRANT).filter(v -> !v.isBlank()).orElse("true").trim()
                .toLowerCase(Locale.ROOT);
        if (!password.equals("true") && !password.equals("false")) {
            throw new IllegalArgumentException(PASSWORD_GRANT + " must be true or false, got '" + password + "'");
        }
        return new OAuthSettings(Duration.ofSeconds(seconds), Boolean.parseBoolean(password));
    }
}
