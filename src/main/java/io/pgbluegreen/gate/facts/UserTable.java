package io.pgbluegreen.gate.facts;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.serde.annotation.Serdeable;
import io.pgbluegreen.postgres.ViewQuery;
import io.pgbluegreen.postgres.ServerVersion;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

/**
 * A table of the connected database that can hold rows the move must carry: ordinary and partitioned tables, logged
 * or unlogged, outside the system schemas, but the cutover's own marker table {@code pgbg.cutover_marker} (which it
 * publishes itself). {@code schema} and {@code name} are the raw names (to match exclude-tables entries), {@code qualified}
 * the quoted form every other fact uses. {@code parent} is set for a partition only: partitions count as covered
 * through their ancestors; old-style inheritance children are tables of their own.
 */
@Serdeable
public record UserTable(String schema, String name, String qualified, boolean partitioned, boolean unlogged,
                        @Nullable String parent) {

    public static final String SQL = """
            SELECT n.nspname AS schema_name, c.relname AS table_name,
                   quote_ident(n.nspname) || '.' || quote_ident(c.relname) AS qualified,
                   c.relkind = 'p' AS partitioned, c.relpersistence = 'u' AS unlogged,
                   CASE WHEN c.relispartition THEN
                       (SELECT quote_ident(pn.nspname) || '.' || quote_ident(p.relname)
                          FROM pg_inherits i
                          JOIN pg_class p ON p.oid = i.inhparent
                          JOIN pg_namespace pn ON pn.oid = p.relnamespace
                         WHERE i.inhrelid = c.oid) END AS parent
              FROM pg_class c
              JOIN pg_namespace n ON n.oid = c.relnamespace
             WHERE c.relkind IN ('r', 'p') AND c.relpersistence IN ('p', 'u')
               AND n.nspname NOT IN ('pg_catalog', 'information_schema')
               AND NOT (n.nspname = 'pgbg' AND c.relname = 'cutover_marker')
               AND n.nspname NOT LIKE 'pg\\_toast%' AND n.nspname NOT LIKE 'pg\\_temp\\_%'
             ORDER BY 3""";

    public static final ViewQuery<List<UserTable>> QUERY = new ViewQuery<>() {
        @Override
        public String sql(ServerVersion version) {
            return SQL;
        }

        @Override
        public List<UserTable> read(ResultSet rows) throws SQLException {
            List<UserTable> tables = new ArrayList<>();
            while (rows.next()) {
                tables.add(new UserTable(rows.getString("schema_name"), rows.getString("table_name"),
                        rows.getString("qualified"), rows.getBoolean("partitioned"), rows.getBoolean("unlogged"),
                        rows.getString("parent")));
            }
            return tables;
        }
    };
}
