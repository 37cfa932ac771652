package io.pgbluegreen.sampling.view;

import io.pgbluegreen.postgres.Rows;
import io.pgbluegreen.postgres.ViewQuery;

import io.micronaut.serde.annotation.Serdeable;
import io.pgbluegreen.postgres.Lsn;
import io.pgbluegreen.postgres.ServerVersion;

import java.sql.ResultSet;
import java.sql.SQLException;

/**
 * Recovery flag, current WAL position (primaries only: the function fails during recovery), timeline, system
 * identifier (a standby of blue shares blue's) and the server's clock, which all time lags are measured with.
 */
@Serdeable
public record ServerStatus(boolean inRecovery, Lsn currentLsn, Integer timeline, String systemIdentifier,
                           double serverEpochSeconds) {

    public static final String SQL = """
            SELECT pg_is_in_recovery() AS in_recovery,
                   CASE WHEN pg_is_in_recovery() THEN NULL ELSE pg_current_wal_lsn()::text END AS current_lsn,
                   CASE WHEN pg_is_in_recovery()
                        THEN coalesce((SELECT received_tli FROM pg_stat_wal_receiver),
                                      (SELECT timeline_id FROM pg_control_checkpoint()))
                        ELSE ('x' || substr(pg_walfile_name(pg_current_wal_lsn()), 1, 8))::bit(32)::int
                   END AS timeline,
                   (SELECT system_identifier::text FROM pg_control_system()) AS system_identifier,
                   extract(epoch FROM clock_timestamp())::float8 AS server_epoch""";

    public static final ViewQuery<ServerStatus> QUERY = new ViewQuery<>() {
        @Override
        public String sql(ServerVersion version) {
            return SQL;
        }

        @Override
        public ServerStatus read(ResultSet rows) throws SQLException {
            rows.next();
            return new ServerStatus(rows.getBoolean("in_recovery"), Rows.lsn(rows, "current_lsn"),
                    Rows.intOrNull(rows, "timeline"), rows.getString("system_identifier"), rows.getDouble("server_epoch"));
        }
    };
}
