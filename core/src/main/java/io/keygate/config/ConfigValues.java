package io.keygate.config;

import jakarta.servlet.ServletException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.function.Function;

/**
 * Typed, checked values of configuration keys, shared by the filter's settings and {@code keygate.war}'s: a bad
 * value is a {@link ServletException} that names the key, the value and what was expected, so it fails the
 * deployment instead of leaving a WAR half-protected. A blank value means the key's default, so an empty
 * environment variable resets whatever {@code web.xml} says.
 */
public final class ConfigValues {

    /** Message of the {@link ServletException} for a bad value: key, value, reason. */
    public static final String INVALID_VALUE = "Invalid Keygate configuration %s=\"%s\": %s";
    public static final String NOT_A_BOOLEAN = "expected true or false";
    public static final String NOT_IN_RANGE = "expected a whole number from %d to %d";

    private ConfigValues() {
    }

    /** The key's value without surrounding blanks; empty when it is unset or blank. */
    public static Optional<String> text(ConfigLookup config, String key) {
        return config.get(key).map(String::strip).filter(v -> !v.isEmpty());
    }

    /** {@code true} or {@code false} in any case; {@code defaultValue} when unset. */
    public static boolean bool(ConfigLookup config, String key, boolean defaultValue) throws ServletException {
        Optional<String> text = text(config, key);
        if (text.isEmpty()) {
            return defaultValue;
        }
        String lower = text.get().toLowerCase(Locale.ROOT);
        if (!lower.equals("true") && !lower.equals("false")) {
            throw invalid(key, text.get(), NOT_A_BOOLEAN);
        }
        return Boolean.parseBoolean(lower);
    }

    /** A whole number from 0 to {@code max}; {@code defaultValue} when unset. */
    public static int number(ConfigLookup config, String key, int defaultValue, int max) throws ServletException {
        return number(config, key, defaultValue, 0, max);
    }

    /** A whole number from {@code min} to {@code max}; {@code defaultValue} when unset. */
    public static int number(ConfigLookup config, String key, int defaultValue, int min, int max)
            throws ServletException {
        Optional<String> text = text(config, key);
        if (text.isEmpty()) {
            return defaultValue;
        }
        try {
            int value = Integer.parseInt(text.get());
            if (value >= min && value <= max) {
                return value;
            }
        } catch (NumberFormatException e) {
            // reported below, with the key and the value
        }
        throw invalid(key, text.get(), String.format(NOT_IN_RANGE, min, max));
    }

    /**
     * A comma-separated list, each item read by {@code parser}, blank items skipped; empty when unset.
     *
     * @param parser throws {@link IllegalArgumentException} with the reason an item is refused
     */
    public static <T> List<T> list(ConfigLookup config, String key, Function<String, T> parser)
            throws ServletException {
        List<T> items = new ArrayList<>();
        Optional<String> text = text(config, key);
        if (text.isEmpty()) {
            return items;
        }
        for (String item : text.get().split(",")) {
            if (item.isBlank()) {
                continue;
            }
            try {
                items.add(parser.apply(item.strip()));
            } catch (IllegalArgumentException e) {
                throw invalid(key, text.get(), "\"" + item.strip() + "\": " + e.getMessage());
            }
        }
        return items;
    }

    /** The exception for a bad value, with the message that names it. */
    public static ServletException invalid(String key, String value, String reason) {
        return new ServletException(String.format(INVALID_VALUE, key, value, reason));
    }
}
