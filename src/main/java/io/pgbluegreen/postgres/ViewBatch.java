package io.pgbluegreen.postgres;


import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.stream.Collectors;

/**
 * Several view queries as one multi-statement batch: pgjdbc sends the statements together and reads all results
 * after a single Sync, so the batch costs one network round trip. Results come back in the order of the queries.
 */
public final class ViewBatch {
    private ViewBatch() {
    }

    public static String sql(List<ViewQuery<?>> queries, ServerVersion version) {
        return queries.stream().map(q -> q.sql(version)).collect(Collectors.joining(";\n"));
    }

    /** Runs {@code sql} (from {@link #sql}) and returns each query's reading, in order. */
    public static Object[] run(Connection connection, List<ViewQuery<?>> queries, String sql) throws SQLException {
        try (Statement statement = connection.createStatement()) {
            if (!statement.execute(sql)) {
                throw new SQLException("query batch returned no rows");
            }
            Object[] parts = new Object[queries.size()];
            for (int i = 0; i < queries.size(); i++) {
                if (i > 0 && !statement.getMoreResults()) {
                    throw new SQLException("query batch ended after " + i + " of " + queries.size() + " results");
                }
                try (var rows = statement.getResultSet()) {
                    parts[i] = queries.get(i).read(rows);
                }
            }
            return parts;
        }
    }
}
