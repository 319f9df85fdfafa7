package io.keygate.server.store;

import java.util.List;
import java.util.function.Function;

/** Turns "limit + 1 rows" into a page and the cursor of the next one. */
final class Pages {

    private Pages() {
    }

    static <T> Page<T> of(List<T> rows, int limit, Function<T, Cursor> cursorOf) {
        if (rows.size() <= limit) {
            return new Page<>(List.copyOf(rows), null);
        }
        List<T> items = List.copyOf(rows.subList(0, limit));
        return new Page<>(items, cursorOf.apply(items.get(limit - 1)));
    }
}
