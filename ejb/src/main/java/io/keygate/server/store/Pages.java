package io.keygate.server.store;

import java.util.List;
import java.util.function.Function;

/** Turns "limit + 1 rows" into a page and the cursor of the next one. */
final class Pages {

    private Pages() {
    }

    /**
     * The JPQL condition "after the cursor" in a newest-first listing of {@code alias} ordered by
     * {@code createdAt DESC, <key> DESC}, with parameters {@code :createdAt} and {@code :key}.
     *
     * <p>The first term, {@code createdAt <= :createdAt}, is implied by the second but is what lets the database
     * start its index scan at the cursor: without it, PostgreSQL reads every newer row of the index and filters
     * them out, so page 9 000 of 10 000 costs 100 times page 1 (docs/database.md has the measurements).
     */
    static String after(String alias, String key) {
        String createdAt = alias + ".createdAt";
        return createdAt + " <= :createdAt AND (" + createdAt + " < :createdAt OR (" + createdAt + " = :createdAt AND "
                + alias + "." + key + " < :key))";
    }

    static <T> Page<T> of(List<T> rows, int limit, Function<T, Cursor> cursorOf) {
        if (rows.size() <= limit) {
            return new Page<>(List.copyOf(rows), null);
        }
        List<T> items = List.copyOf(rows.subList(0, limit));
        return new Page<>(items, cursorOf.apply(items.get(limit - 1)));
    }
}
