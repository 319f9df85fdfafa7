package io.keygate.server.store;

import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * A schema as JDBC metadata describes it, one sorted line per table, column, primary key and index, so two
 * schemas on the same database compare with {@code assertEquals} and a difference reads as a diff:
 *
 * <pre>
 * COLUMN KG_TOKEN.TOKEN_HASH VARCHAR(64) NOT NULL
 * INDEX KG_TOKEN.KG_TOKEN_HASH UNIQUE (TOKEN_HASH)
 * PRIMARY KEY KG_TOKEN (ID)
 * </pre>
 *
 * <p>Names are upper-cased (PostgreSQL folds them to lower case); column order is left out, since no query of
 * Keygate depends on it; the index that backs the primary key is left out, since each database names it its own
 * way (H2 with a generated number).
 */
final class Catalog {

    private Catalog() {
    }

    static String of(Connection connection) throws SQLException {
        DatabaseMetaData meta = connection.getMetaData();
        String catalog = connection.getCatalog();
        String schema = connection.getSchema();
        List<String> lines = new ArrayList<>();
        List<String> tables = new ArrayList<>();
        try (ResultSet rows = meta.getTables(catalog, schema, "%", new String[] {"TABLE"})) {
            while (rows.next()) {
                tables.add(rows.getString("TABLE_NAME"));
            }
        }
        for (String table : tables) {
            String name = upper(table);
            lines.add("TABLE " + name);
            try (ResultSet rows = meta.getColumns(catalog, schema, table, "%")) {
                while (rows.next()) {
                    String defaultValue = rows.getString("COLUMN_DEF");
                    lines.add("COLUMN " + name + "." + upper(rows.getString("COLUMN_NAME")) + " "
                            + upper(rows.getString("TYPE_NAME")) + "(" + rows.getInt("COLUMN_SIZE") + ")"
                            + (rows.getInt("NULLABLE") == DatabaseMetaData.columnNoNulls ? " NOT NULL" : "")
                            + (defaultValue == null ? "" : " DEFAULT " + defaultValue));
                }
            }
            List<String> primaryKey = primaryKey(meta, catalog, schema, table);
            lines.add("PRIMARY KEY " + name + " " + list(primaryKey));
            indexes(meta, catalog, schema, table).forEach((index, columns) -> {
                if (!(index.unique && columns.equals(primaryKey))) {
                    lines.add("INDEX " + name + "." + index.name + (index.unique ? " UNIQUE " : " ") + list(columns));
                }
            });
        }
        lines.sort(null);
        return String.join("\n", lines);
    }

    private static List<String> primaryKey(DatabaseMetaData meta, String catalog, String schema, String table)
            throws SQLException {
        Map<Integer, String> columns = new TreeMap<>();
        try (ResultSet rows = meta.getPrimaryKeys(catalog, schema, table)) {
            while (rows.next()) {
                columns.put(rows.getInt("KEY_SEQ"), upper(rows.getString("COLUMN_NAME")));
            }
        }
        return List.copyOf(columns.values());
    }

    private record Index(String name, boolean unique) implements Comparable<Index> {
        @Override
        public int compareTo(Index other) {
            return name.compareTo(other.name);
        }
    }

    private static Map<Index, List<String>> indexes(DatabaseMetaData meta, String catalog, String schema, String table)
            throws SQLException {
        Map<Index, Map<Integer, String>> byIndex = new TreeMap<>();
        try (ResultSet rows = meta.getIndexInfo(catalog, schema, table, false, false)) {
            while (rows.next()) {
                if (rows.getShort("TYPE") == DatabaseMetaData.tableIndexStatistic) {
                    continue;
                }
                Index index = new Index(upper(rows.getString("INDEX_NAME")), !rows.getBoolean("NON_UNIQUE"));
                byIndex.computeIfAbsent(index, i -> new TreeMap<>())
                        .put((int) rows.getShort("ORDINAL_POSITION"), upper(rows.getString("COLUMN_NAME")));
            }
        }
        Map<Index, List<String>> result = new TreeMap<>();
        byIndex.forEach((index, columns) -> result.put(index, List.copyOf(columns.values())));
        return result;
    }

    private static String list(List<String> columns) {
        return "(" + String.join(", ", columns) + ")";
    }

    private static String upper(String name) {
        return name == null ? null : name.toUpperCase(Locale.ROOT);
    }
}
