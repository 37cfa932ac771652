package io.pgbluegreen.mode.patroni.safetynet;

import io.pgbluegreen.journal.StepFact;
import io.pgbluegreen.postgres.TargetSession;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;

/**
 * The point a safety net protects, made on the leader: a marker row committed by a transaction of the daemon's
 * own (its id is the recovery target a rollback stops after), the leader's WAL insert position read just before it
 * and right after its commit in the same session (so the commit record lies between them), then a named restore
 * point. The marker table is created the first time (its own transaction, before the marker's).
 */
final class Marker {
    static final String CREATE = """
            CREATE SCHEMA IF NOT EXISTS pgbg;
            CREATE TABLE IF NOT EXISTS pgbg.safety_net_marker (
                id bigserial PRIMARY KEY,
                deployment text NOT NULL,
                member text NOT NULL,
                created_at timestamptz NOT NULL DEFAULT now())""";
    static final String INSERT_POSITION = "SELECT pg_current_wal_insert_lsn()::text";
    static final String MARK = "INSERT INTO pgbg.safety_net_marker (deployment, member) VALUES (?, ?) RETURNING txid_current()";
    static final String RESTORE_POINT = """
            SELECT pg_create_restore_point(?)::text,
                   ('x' || substr(pg_walfile_name(pg_current_wal_lsn()), 1, 8))::bit(32)::int""";
    /** PostgreSQL keeps restore point names shorter than 64 bytes. */
    private static final int MAX_NAME = 63;

    private Marker() {
    }

    static StepFact.SafetyNetMarked mark(TargetSession leader, String deployment, String member) throws SQLException {
        leader.execute(CREATE);
        String before = leader.queryString(INSERT_POSITION);
        long xid;
        Connection jdbc = leader.jdbc();
        jdbc.setAutoCommit(false);
        try {
            try (PreparedStatement statement = jdbc.prepareStatement(MARK)) {
                statement.setString(1, deployment);
                statement.setString(2, member);
                try (ResultSet rows = statement.executeQuery()) {
                    rows.next();
                    xid = rows.getLong(1);
                }
            }
            jdbc.commit();
        } catch (SQLException e) {
            try {
                jdbc.rollback();
            } catch (SQLException ignored) {
                // the session is broken; the server rolls back on its own
            }
            throw e;
        } finally {
            jdbc.setAutoCommit(true);
        }
        String after = leader.queryString(INSERT_POSITION);
        String name = restorePointName(deployment, xid);
        var row = leader.queryRow(RESTORE_POINT, name);
        return new StepFact.SafetyNetMarked(xid, before, after, name, row.get(0), Integer.parseInt(row.get(1)));
    }

    static String restorePointName(String deployment, long xid) {
        String tail = "-" + xid;
        String head = "pgbg-safety-net-" + deployment;
        return head.substring(0, Math.min(head.length(), MAX_NAME - tail.length())) + tail;
    }
}
