package io.pgbluegreen.gate.facts;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.serde.annotation.Serdeable;
import io.pgbluegreen.postgres.ViewQuery;
import io.pgbluegreen.postgres.ServerVersion;

import java.sql.Array;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * A table one publication sends only in part (PostgreSQL 15+): a row filter ({@code WHERE}) or a column list that
 * leaves columns out. Only such (publication, table) pairs have a row. pg_publication_tables already resolves
 * partitions and schemas (FOR TABLES IN SCHEMA); its attnames is NULL on 15 and every column on 16+ when the table
 * has no column list. Generated columns are never sent (green computes them), so they do not count as hidden.
 */
@Serdeable
public record PublishedTableFilter(String publication, String table, @Nullable String rowFilter,
                                   List<String> hiddenColumns) {

    public static final String SQL_15 = """
            SELECT * FROM (
                SELECT pt.pubname, quote_ident(pt.schemaname) || '.' || quote_ident(pt.tablename) AS table_name,
                       pt.rowfilter,
                       (SELECT array_agg(quote_ident(a.attname) ORDER BY a.attnum)
                          FROM pg_attribute a
                         WHERE a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped AND a.attgenerated = ''
                           AND NOT a.attname = ANY (pt.attnames)) AS hidden_columns
                  FROM pg_publication_tables pt
                  JOIN pg_namespace n ON n.nspname = pt.schemaname
                  JOIN pg_class c ON c.relnamespace = n.oid AND c.relname = pt.tablename) f
             WHERE rowfilter IS NOT NULL OR hidden_columns IS NOT NULL
             ORDER BY 1, 2""";
    /** Before 15 a publication sends whole tables. */
    public static final String SQL_OLDER = """
            SELECT NULL::text AS pubname, NULL::text AS table_name, NULL::text AS rowfilter,
                   NULL::text[] AS hidden_columns
             WHERE false""";

    public static final ViewQuery<List<PublishedTableFilter>> QUERY = new ViewQuery<>() {
        @Override
        public String sql(ServerVersion version) {
            return version.atLeast(15) ? SQL_15 : SQL_OLDER;
        }

        @Override
        public List<PublishedTableFilter> read(ResultSet rows) throws SQLException {
            List<PublishedTableFilter> filters = new ArrayList<>();
            while (rows.next()) {
                Array hidden = rows.getArray("hidden_columns");
                filters.add(new PublishedTableFilter(rows.getString("pubname"), rows.getString("table_name"),
                        rows.getString("rowfilter"),
                        hidden == null ? List.of() : Arrays.asList((String[]) hidden.getArray())));
            }
            return filters;
        }
    };
}
