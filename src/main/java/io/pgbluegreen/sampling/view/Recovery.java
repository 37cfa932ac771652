package io.pgbluegreen.sampling.view;

import io.pgbluegreen.postgres.Rows;
import io.pgbluegreen.postgres.ViewQuery;

import io.micronaut.serde.annotation.Serdeable;
import io.pgbluegreen.postgres.Lsn;
import io.pgbluegreen.postgres.ServerVersion;

import java.sql.ResultSet;
import java.sql.SQLException;

/**
 * Receive and replay positions of a server in recovery, the commit time of the last replayed transaction and the
 * replay pause state: 14+ tells "pause requested" from "paused"; older majors only say paused or not.
 * Every column is NULL on a primary (the functions would fail there). primary_slot_name is a setting from 12 on
 * (recovery.conf before), so it is known even while the WAL receiver is down.
 */
@Serdeable
public record Recovery(Lsn receiveLsn, Lsn replayLsn, Double lastReplayedCommitEpochSeconds, ReplayPause pauseState,
                       String primarySlotName) {
    static final String TEMPLATE = """
            SELECT CASE WHEN pg_is_in_recovery() THEN pg_last_wal_receive_lsn()::text END AS receive_lsn,
                   CASE WHEN pg_is_in_recovery() THEN pg_last_wal_replay_lsn()::text END AS replay_lsn,
                   CASE WHEN pg_is_in_recovery() THEN extract(epoch FROM pg_last_xact_replay_timestamp())::float8 END
                       AS last_replay_epoch,
                   CASE WHEN pg_is_in_recovery() THEN %s END AS pause_state,
                   CASE WHEN pg_is_in_recovery() THEN nullif(current_setting('primary_slot_name', true), '') END
                       AS primary_slot_name""";
    public static final String SQL_14 = TEMPLATE.formatted("pg_get_wal_replay_pause_state()");
    public static final String SQL_11 = TEMPLATE.formatted(
            "CASE WHEN pg_is_wal_replay_paused() THEN 'paused' ELSE 'not paused' END");

    public static final ViewQuery<Recovery> QUERY = new ViewQuery<>() {
        @Override
        public String sql(ServerVersion version) {
            return version.atLeast(14) ? SQL_14 : SQL_11;
        }

        @Override
        public Recovery read(ResultSet rows) throws SQLException {
            rows.next();
            String pause = rows.getString("pause_state");
            if (pause == null) {
                return null;
            }
            return new Recovery(Rows.lsn(rows, "receive_lsn"), Rows.lsn(rows, "replay_lsn"),
                    Rows.doubleOrNull(rows, "last_replay_epoch"), ReplayPause.parse(pause), rows.getString("primary_slot_name"));
        }
    };

    /** Paused or about to be: either way WAL is not being applied. */
    public boolean replayStopped() {
        return pauseState != ReplayPause.NOT_PAUSED;
    }
}
