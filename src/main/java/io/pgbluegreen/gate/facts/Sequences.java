package io.pgbluegreen.gate.facts;

import io.micronaut.serde.annotation.Serdeable;
import io.pgbluegreen.postgres.ViewQuery;
import io.pgbluegreen.postgres.ServerVersion;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Set;
import java.util.TreeSet;

/**
 * The sequences of the database (logical replication does not carry their values; the cutover copies them: SELECT
 * on the side it reads, UPDATE for setval and SELECT to read back on the side it writes, USAGE on their schemas
 * on both), and those the daemon's role lacks a privilege on. Privileges by oid: a name would need USAGE on the
 * schema just to be looked up.
 */
@Serdeable
public record Sequences(Set<String> names, Set<String> withoutSelect, Set<String> withoutUpdate,
                        Set<String> schemasWithoutUsage) {

    public static final String SQL = """
            SELECT quote_ident(s.schemaname) || '.' || quote_ident(s.sequencename) AS name,
                   quote_ident(s.schemaname) AS schema, has_schema_privilege(n.oid, 'USAGE') AS schema_usage,
                   has_sequence_privilege(c.oid, 'SELECT') AS can_select,
                   has_sequence_privilege(c.oid, 'UPDATE') AS can_update
              FROM pg_sequences s
              JOIN pg_namespace n ON n.nspname = s.schemaname
              JOIN pg_class c ON c.relnamespace = n.oid AND c.relname = s.sequencename
             ORDER BY 1""";

    public static final ViewQuery<Sequences> QUERY = new ViewQuery<>() {
        @Override
        public String sql(ServerVersion version) {
            return SQL;
        }

        @Override
        public Sequences read(ResultSet rows) throws SQLException {
            Set<String> names = new TreeSet<>();
            Set<String> withoutSelect = new TreeSet<>();
            Set<String> withoutUpdate = new TreeSet<>();
            Set<String> schemas = new TreeSet<>();
            while (rows.next()) {
                String name = rows.getString("name");
                names.add(name);
                if (!rows.getBoolean("can_select")) {
                    withoutSelect.add(name);
                }
                if (!rows.getBoolean("can_update")) {
                    withoutUpdate.add(name);
                }
                if (!rows.getBoolean("schema_usage")) {
                    schemas.add(rows.getString("schema"));
                }
            }
            return new Sequences(names, withoutSelect, withoutUpdate, schemas);
        }
    };

    /** The schemas among {@code sequences}' that the role may not use. */
    public Set<String> schemasWithoutUsageOf(Set<String> sequences) {
        Set<String> schemas = new TreeSet<>();
        for (String schema : schemasWithoutUsage) {
            if (sequences.stream().anyMatch(s -> s.startsWith(schema + "."))) {
                schemas.add(schema);
            }
        }
        return schemas;
    }
}
