package io.pgbluegreen.gate.facts;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.serde.annotation.Serdeable;
import io.pgbluegreen.postgres.ViewQuery;
import io.pgbluegreen.postgres.ServerVersion;

import java.sql.ResultSet;
import java.sql.SQLException;

/**
 * The logical cutover's marker table (pgbg.cutover_marker, see cutover.step.Marker) on a side, and what the daemon's
 * role may do with it: prepare_marker creates the schema only when it is missing (CREATE on the database), the table
 * only when it is missing (CREATE on the schema), and then writes the table on blue, reads it on green and adds it to
 * the publication, which takes its owner. {@code tableOwner} is the owner's name quoted for SQL (null: no table).
 */
@Serdeable
public record MarkerAccess(boolean schemaExists, boolean schemaUsage, boolean schemaCreate, boolean tableExists,
                           @Nullable String tableOwner, boolean tableOurs) {

    public static final String SQL = """
            SELECT n.oid IS NOT NULL AS schema_exists,
                   coalesce(has_schema_privilege(n.oid, 'USAGE'), false) AS schema_usage,
                   coalesce(has_schema_privilege(n.oid, 'CREATE'), false) AS schema_create,
                   c.oid IS NOT NULL AS table_exists, quote_ident(o.rolname) AS table_owner,
                   coalesce(o.rolname = current_user, false) AS table_ours
              FROM (SELECT 1) one
              LEFT JOIN pg_namespace n ON n.nspname = 'pgbg'
              LEFT JOIN pg_class c ON c.relnamespace = n.oid AND c.relname = 'cutover_marker'
              LEFT JOIN pg_roles o ON o.oid = c.relowner""";

    public static final ViewQuery<MarkerAccess> QUERY = new ViewQuery<>() {
        @Override
        public String sql(ServerVersion version) {
            return SQL;
        }

        @Override
        public MarkerAccess read(ResultSet rows) throws SQLException {
            rows.next();
            return new MarkerAccess(rows.getBoolean("schema_exists"), rows.getBoolean("schema_usage"),
                    rows.getBoolean("schema_create"), rows.getBoolean("table_exists"), rows.getString("table_owner"),
                    rows.getBoolean("table_ours"));
        }
    };
}
