package io.pgbluegreen.mode.patroni.safetynet.rollback;

/** The statements the rollback runs on the two members' PostgreSQL. */
final class MemberSql {
    /** 32-bit xmin of the marker row: the marker's 64-bit xid modulo 2^32 (txid_current() carries the epoch). */
    static final String MARKER_VISIBLE = "SELECT count(*) FROM pgbg.safety_net_marker WHERE xmin::text = ?";
    static final String REPLAY_STATE = """
            SELECT pg_is_in_recovery(),
                   CASE WHEN pg_is_in_recovery() THEN pg_get_wal_replay_pause_state() ELSE 'not paused' END,
                   pg_last_wal_replay_lsn()::text""";
    static final String RESUME = "SELECT pg_wal_replay_resume()";
    static final String IN_RECOVERY = "SELECT pg_is_in_recovery()";
    /** The timeline WAL is written on now (pg_control_checkpoint lags behind a promotion until its checkpoint). */
    static final String CURRENT_TIMELINE = "SELECT ('x' || substr(pg_walfile_name(pg_current_wal_lsn()), 1, 8))::bit(32)::int";
    static final String CURRENT_LSN = "SELECT pg_current_wal_lsn()::text";
    static final String STREAMING_TO = "SELECT count(*) FROM pg_stat_replication WHERE application_name = ? AND state = 'streaming'";

    private MemberSql() {
    }

    static String xmin(long xid) {
        return Long.toString(xid & 0xFFFF_FFFFL);
    }
}
