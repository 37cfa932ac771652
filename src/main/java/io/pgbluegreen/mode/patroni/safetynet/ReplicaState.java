package io.pgbluegreen.mode.patroni.safetynet;

import io.micronaut.core.annotation.Nullable;
import io.pgbluegreen.postgres.Lsn;
import io.pgbluegreen.postgres.TargetSession;

import java.sql.SQLException;
import java.util.List;

/**
 * What the held member's PostgreSQL says about itself, in one round trip: recovery, the WAL receiver, the replay
 * pause state (PostgreSQL 14+), the received and replayed positions, its timeline and the WAL it keeps in pg_wal.
 * {@code walKeptBytes} needs {@code pg_monitor} (or superuser); without it the figure is null, never 0.
 */
public record ReplicaState(boolean inRecovery, @Nullable String receiverStatus, String pauseState,
                           @Nullable Lsn receiveLsn, @Nullable Lsn replayLsn, @Nullable Integer timeline,
                           @Nullable Long walKeptBytes) {

    static final String SQL = """
            SELECT pg_is_in_recovery(),
                   (SELECT status FROM pg_stat_wal_receiver),
                   CASE WHEN pg_is_in_recovery() THEN pg_get_wal_replay_pause_state() ELSE 'not paused' END,
                   pg_last_wal_receive_lsn()::text,
                   pg_last_wal_replay_lsn()::text,
                   (SELECT timeline_id FROM pg_control_checkpoint()),
                   CASE WHEN pg_has_role('pg_monitor', 'USAGE') OR (SELECT rolsuper FROM pg_roles WHERE rolname = current_user)
                        THEN (SELECT sum(size) FROM pg_ls_waldir()) END""";

    public static final String PAUSED = "paused";
    public static final String NOT_PAUSED = "not paused";

    public static ReplicaState read(TargetSession session) throws SQLException {
        List<String> row = session.queryRow(SQL);
        return new ReplicaState("t".equals(row.get(0)), row.get(1), row.get(2), Lsn.parse(row.get(3)),
                Lsn.parse(row.get(4)), row.get(5) == null ? null : Integer.valueOf(row.get(5)),
                row.get(6) == null ? null : Long.valueOf(row.get(6)));
    }

    public boolean streaming() {
        return "streaming".equals(receiverStatus);
    }

    public boolean paused() {
        return PAUSED.equals(pauseState);
    }

    /** Received but not yet replayed (null when either position is unknown). */
    public Long receivedNotReplayedBytes() {
        return Lsn.distance(receiveLsn, replayLsn);
    }
}
