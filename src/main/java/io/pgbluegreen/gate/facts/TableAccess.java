package io.pgbluegreen.gate.facts;

import io.micronaut.serde.annotation.Serdeable;
import io.pgbluegreen.postgres.ViewQuery;
import io.pgbluegreen.postgres.ServerVersion;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;

/**
 * The tables of the connected database that the daemon's role could not write as an apply worker does (SELECT,
 * INSERT, UPDATE, DELETE, TRUNCATE; row security only for their owner or BYPASSRLS): what blue's reverse
 * subscription, which the daemon owns and runs as itself when it is no superuser, needs. Names quoted for SQL.
 */
@Serdeable
public record TableAccess(List<String> notWritable) {

    public static final String SQL = """
            SELECT ARRAY(
                SELECT quote_ident(n.nspname) || '.' || quote_ident(c.relname)
                  FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
                 WHERE c.relkind = 'r' AND n.nspname NOT IN ('pg_catalog', 'information_schema')
                   AND n.nspname NOT LIKE 'pg\\_toast%' AND n.nspname NOT LIKE 'pg\\_temp\\_%'
                   AND (NOT (has_table_privilege(c.oid, 'SELECT') AND has_table_privilege(c.oid, 'INSERT')
                             AND has_table_privilege(c.oid, 'UPDATE') AND has_table_privilege(c.oid, 'DELETE')
                             AND has_table_privilege(c.oid, 'TRUNCATE'))
                        OR (c.relrowsecurity AND c.relowner <> (SELECT oid FROM pg_roles WHERE rolname = current_user)
                            AND NOT (SELECT rolbypassrls FROM pg_roles WHERE rolname = current_user)))
                 ORDER BY 1) AS not_writable""";

    public static final ViewQuery<TableAccess> QUERY = new ViewQuery<>() {
        @Override
        public String sql(ServerVersion version) {
            return SQL;
        }

        @Override
        public TableAccess read(ResultSet rows) throws SQLException {
            rows.next();
            return new TableAccess(FactRows.texts(rows, "not_writable"));
        }
    };
}
