package io.pgbluegreen.gate.facts;

import io.micronaut.serde.annotation.Serdeable;
import io.pgbluegreen.postgres.ViewQuery;
import io.pgbluegreen.postgres.ServerVersion;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;

/** Every user table's columns and their types as format_type prints them, keyed by quoted schema.table. */
@Serdeable
public record TableColumns(Map<String, Map<String, String>> columnsByTable) {

    public static final String SQL = """
            SELECT quote_ident(n.nspname) || '.' || quote_ident(c.relname) AS table_name, a.attname,
                   format_type(a.atttypid, a.atttypmod) AS type
              FROM pg_attribute a
              JOIN pg_class c ON c.oid = a.attrelid
              JOIN pg_namespace n ON n.oid = c.relnamespace
             WHERE a.attnum > 0 AND NOT a.attisdropped AND c.relkind IN ('r', 'p')
               AND n.nspname NOT IN ('pg_catalog', 'information_schema') AND n.nspname NOT LIKE 'pg\\_toast%'
             ORDER BY 1, a.attnum""";

    public static final ViewQuery<TableColumns> QUERY = new ViewQuery<>() {
        @Override
        public String sql(ServerVersion version) {
            return SQL;
        }

        @Override
        public TableColumns read(ResultSet rows) throws SQLException {
            Map<String, Map<String, String>> tables = new TreeMap<>();
            while (rows.next()) {
                tables.computeIfAbsent(rows.getString("table_name"), t -> new LinkedHashMap<>())
                        .put(rows.getString("attname"), rows.getString("type"));
            }
            return new TableColumns(tables);
        }
    };
}
