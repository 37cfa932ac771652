package io.pgbluegreen.sampling.view;

import io.pgbluegreen.postgres.Rows;
import io.pgbluegreen.postgres.ViewQuery;

import io.micronaut.serde.annotation.Serdeable;
import io.pgbluegreen.postgres.ServerVersion;

import java.sql.ResultSet;
import java.sql.SQLException;

/**
 * Client transactions from pg_stat_activity: the oldest open one, the oldest that holds a transaction id (a
 * writer), and prepared transactions, which survive a cutover unless someone commits or rolls them back.
 * The sampler's own implicit transaction is left out.
 */
@Serdeable
public record Activity(Double oldestTransactionAgeSeconds, Double oldestWriteTransactionAgeSeconds,
                       long preparedTransactions, long clientBackends) {

    public static final String SQL = """
            SELECT (SELECT extract(epoch FROM clock_timestamp() - min(xact_start))::float8 FROM pg_stat_activity
                     WHERE backend_type = 'client backend' AND xact_start IS NOT NULL AND pid <> pg_backend_pid())
                       AS oldest_xact_age,
                   (SELECT extract(epoch FROM clock_timestamp() - min(xact_start))::float8 FROM pg_stat_activity
                     WHERE backend_type = 'client backend' AND backend_xid IS NOT NULL AND pid <> pg_backend_pid())
                       AS oldest_write_xact_age,
                   (SELECT count(*) FROM pg_prepared_xacts) AS prepared,
                   (SELECT count(*) FROM pg_stat_activity WHERE backend_type = 'client backend') AS client_backends""";

    public static final ViewQuery<Activity> QUERY = new ViewQuery<>() {
        @Override
        public String sql(ServerVersion version) {
            return SQL;
        }

        @Override
        public Activity read(ResultSet rows) throws SQLException {
            rows.next();
            return new Activity(Rows.doubleOrNull(rows, "oldest_xact_age"), Rows.doubleOrNull(rows, "oldest_write_xact_age"),
                    rows.getLong("prepared"), rows.getLong("client_backends"));
        }
    };
}
