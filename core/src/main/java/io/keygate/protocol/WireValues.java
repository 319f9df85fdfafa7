package io.keygate.protocol;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/** Reading JDK values off the wire: what the message types share when they check an answer or an argument. */
final class WireValues {

    private WireValues() {
    }

    /** A list of strings, copied; {@code null} when {@code value} is anything else. */
    static List<String> strings(Object value) {
        if (!(value instanceof List<?> list)) {
            return null;
        }
        List<String> strings = new ArrayList<>(list.size());
        for (Object item : list) {
            if (!(item instanceof String text)) {
                return null;
            }
            strings.add(text);
        }
        return Collections.unmodifiableList(strings);
    }

    /** A string with more than blanks; {@code null} when {@code value} is anything else. */
    static String text(Object value) {
        return value instanceof String text && !text.isBlank() ? text : null;
    }

    /** {@code value} unless it is {@code null}, in which case a message naming {@code what}. */
    static <T> T required(T value, String what) {
        if (value == null) {
            throw new IllegalArgumentException("a protocol message needs " + what);
        }
        return value;
    }
}
