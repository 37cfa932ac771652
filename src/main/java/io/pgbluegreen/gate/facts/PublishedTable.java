package io.pgbluegreen.gate.facts;

import io.micronaut.serde.annotation.Serdeable;
import io.pgbluegreen.postgres.ViewQuery;
import io.pgbluegreen.postgres.ServerVersion;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

/**
 * A table in a publication and whether UPDATE/DELETE on it can replicate: replica identity DEFAULT needs a primary
 * key, INDEX needs its index, FULL always works, NOTHING never does.
 */
@Serdeable
public record PublishedTable(String publication, String table, String replicaIdentity, boolean hasPrimaryKey,
                             boolean hasIdentityIndex) {

    public static final String SQL = """
            SELECT pt.pubname, quote_ident(pt.schemaname) || '.' || quote_ident(pt.tablename) AS table_name,
                   c.relreplident::text AS replident,
                   EXISTS (SELECT 1 FROM pg_index i WHERE i.indrelid = c.oid AND i.indisprimary) AS has_pk,
                   EXISTS (SELECT 1 FROM pg_index i WHERE i.indrelid = c.oid AND i.indisreplident) AS has_ident_index
              FROM pg_publication_tables pt
              JOIN pg_namespace n ON n.nspname = pt.schemaname
              JOIN pg_class c ON c.relnamespace = n.oid AND c.relname = pt.tablename
             ORDER BY 1, 2""";

    public static final ViewQuery<List<PublishedTable>> QUERY = new ViewQuery<>() {
        @Override
        public String sql(ServerVersion version) {
            return SQL;
        }

        @Override
        public List<PublishedTable> read(ResultSet rows) throws SQLException {
            List<PublishedTable> tables = new ArrayList<>();
            while (rows.next()) {
                tables.add(new PublishedTable(rows.getString("pubname"), rows.getString("table_name"),
                        rows.getString("replident"), rows.getBoolean("has_pk"), rows.getBoolean("has_ident_index")));
            }
            return tables;
        }
    };

    public boolean replicatesUpdatesAndDeletes() {
        return switch (replicaIdentity) {
            case "f" -> true;
            case "d" -> hasPrimaryKey;
            case "i" -> hasIdentityIndex;
            default -> false;
        };
    }
}
