package io.keygate.server.store;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * A position in a newest-first listing: the creation time and key of the last row of the previous page.
 * Keyset pagination costs the same for page 1 and page 10<sup>4</sup>, unlike {@code OFFSET}.
 *
 * <p>Opaque to clients (base64url); anything that does not decode to a position Keygate could have issued is
 * refused with 400.
 */
public record Cursor(Instant createdAt, String key) {

    private static final Pattern DECODED = Pattern.compile("(\\d{1,19})\\.([A-Za-z0-9_-]{1,63})");

    public String encode() {
        String plain = createdAt.toEpochMilli() + "." + key;
        return Base64.getUrlEncoder().withoutPadding().encodeToString(plain.getBytes(StandardCharsets.US_ASCII));
    }

    /** The cursor, or empty when {@code encoded} is not one Keygate issues. */
    public static Optional<Cursor> decode(String encoded) {
        try {
            String plain = new String(Base64.getUrlDecoder().decode(encoded), StandardCharsets.US_ASCII);
            var matcher = DECODED.matcher(plain);
            if (!matcher.matches()) {
                return Optional.empty();
            }
            return Optional.of(new Cursor(Instant.ofEpochMilli(Long.parseLong(matcher.group(1))), matcher.group(2)));
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }
}
