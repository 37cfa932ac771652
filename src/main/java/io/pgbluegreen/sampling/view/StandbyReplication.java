package io.pgbluegreen.sampling.view;

import io.pgbluegreen.postgres.Rows;
import io.pgbluegreen.postgres.ViewQuery;

import io.micronaut.serde.annotation.Serdeable;
import io.pgbluegreen.postgres.Lsn;
import io.pgbluegreen.postgres.ServerVersion;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

/**
 * One row of pg_stat_replication: a standby or logical subscriber streaming from this server. The *_lag columns
 * are NULL once a standby has been caught up and idle for a while (PostgreSQL's own rule); reply_time is 12+.
 */
@Serdeable
public record StandbyReplication(String applicationName, String clientAddr, Integer pid, String state, String syncState,
                                 Lsn sentLsn, Lsn writeLsn, Lsn flushLsn, Lsn replayLsn,
                                 Double writeLagSeconds, Double flushLagSeconds, Double replayLagSeconds,
                                 Double replyAgeSeconds) {

    static final String COLUMNS = """
            SELECT application_name, client_addr::text AS client_addr, pid, state, sync_state,
                   sent_lsn::text AS sent_lsn, write_lsn::text AS write_lsn, flush_lsn::text AS flush_lsn,
                   replay_lsn::text AS replay_lsn,
                   extract(epoch FROM write_lag)::float8 AS write_lag, extract(epoch FROM flush_lag)::float8 AS flush_lag,
                   extract(epoch FROM replay_lag)::float8 AS replay_lag,""";
    static final String ORDER = " FROM pg_stat_replication ORDER BY application_name, (state = 'streaming') DESC, backend_start";
    public static final String SQL_12 = COLUMNS + " extract(epoch FROM clock_timestamp() - reply_time)::float8 AS reply_age" + ORDER;
    public static final String SQL_11 = COLUMNS + " NULL::float8 AS reply_age" + ORDER;

    public static final ViewQuery<List<StandbyReplication>> QUERY = new ViewQuery<>() {
        @Override
        public String sql(ServerVersion version) {
            return version.atLeast(12) ? SQL_12 : SQL_11;
        }

        @Override
        public List<StandbyReplication> read(ResultSet rows) throws SQLException {
            List<StandbyReplication> standbys = new ArrayList<>();
            while (rows.next()) {
                standbys.add(new StandbyReplication(rows.getString("application_name"), rows.getString("client_addr"),
                        Rows.intOrNull(rows, "pid"), rows.getString("state"), rows.getString("sync_state"),
                        Rows.lsn(rows, "sent_lsn"), Rows.lsn(rows, "write_lsn"), Rows.lsn(rows, "flush_lsn"),
                        Rows.lsn(rows, "replay_lsn"), Rows.doubleOrNull(rows, "write_lag"),
                        Rows.doubleOrNull(rows, "flush_lag"), Rows.doubleOrNull(rows, "replay_lag"),
                        Rows.doubleOrNull(rows, "reply_age")));
            }
            return standbys;
        }
    };
}
