package io.pgbluegreen.fence;

import io.pgbluegreen.postgres.Sql;
import io.pgbluegreen.gate.facts.ClusterRole;
import io.pgbluegreen.postgres.TargetSession;
import io.pgbluegreen.postgres.Waits;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.List;

/**
 * Layered fencing of a side (blue at cutover, green at rollback), strongest first: every role that can log in
 * loses LOGIN (superusers, REPLICATION and BYPASSRLS roles, roles with settings of their own alike; all but the
 * daemon's own, and those the daemon cannot reach, which the gate refuses), their sessions are ended in every
 * database (a session that overrides read-only with BEGIN READ WRITE or its own role settings is gone), and
 * default_transaction_read_only goes on as a backstop. Spared: the operation's own sessions, by process id, and the
 * daemon's samplers (its own role, which is never fenced, under its name: they only read). Replication connections
 * are not client backends. Undo restores exactly what was changed.
 */
public final class Fencer {
    static final String PREVIOUS_READ_ONLY = """
            SELECT setting FROM pg_file_settings
             WHERE name = 'default_transaction_read_only' AND sourcefile LIKE '%postgresql.auto.conf'
             ORDER BY seqno DESC LIMIT 1""";
    /**
     * Every session that can run SQL: client backends, and walsenders of logical replication connections (they take
     * SQL too, BEGIN READ WRITE included), but those serving the slots the operation needs (the subscription's on
     * blue, the reverse one on green), the operation's own sessions (by pid) and the daemon's samplers (its role and
     * name; they only read). What must be gone, in every database, before a side may be called quiet.
     */
    static final String OTHERS = """
            (a.backend_type = 'client backend'
                 OR (a.backend_type = 'walsender' AND a.datname IS NOT NULL
                     AND a.pid <> ALL (SELECT s.active_pid FROM pg_replication_slots s
                                        WHERE s.active_pid IS NOT NULL AND s.slot_name = ANY(?))))
               AND a.pid <> pg_backend_pid() AND a.pid <> ALL(?)
               AND NOT (a.usesysid = (SELECT oid FROM pg_roles WHERE rolname = current_user)
                        AND a.application_name = 'pg-bluegreen')""";
    // pg_terminate_backend sits in the target list of a subquery: a WHERE clause may be evaluated in any order
    // (it could end our own session first), a volatile target list keeps the subquery from being flattened. A
    // non-superuser may not signal a superuser's session: those are left (the gate refuses them, and they keep a
    // side from being quiet).
    static final String END_SESSIONS = """
            SELECT pid FROM (
                SELECT a.pid, pg_terminate_backend(a.pid) AS ended FROM pg_stat_activity a
                 WHERE %s
                   AND (NOT a.usesysid IN (SELECT oid FROM pg_roles WHERE rolsuper)
                        OR (SELECT rolsuper FROM pg_roles WHERE rolname = current_user))) t
             WHERE ended""".formatted(OTHERS);
    /** Each as "pid (role in database)". */
    static final String OTHER_SESSIONS = """
            SELECT a.pid || ' (' || coalesce(r.rolname, '?') || coalesce(' in ' || a.datname, '') || ')'
              FROM pg_stat_activity a LEFT JOIN pg_roles r ON r.oid = a.usesysid
             WHERE %s
             ORDER BY a.pid""".formatted(OTHERS);

    /** reset_val: what a new session gets, whatever our own session has SET. */
    static final String READ_ONLY_FOR_NEW_SESSIONS = "SELECT reset_val FROM pg_settings WHERE name = 'default_transaction_read_only'";
    static final String CAN_LOG_IN = "SELECT rolcanlogin FROM pg_roles WHERE rolname = ?";

    private Fencer() {
    }

    /** Decides what to change without changing it, so the plan can be journaled first. */
    public static Fence plan(TargetSession side, List<String> configuredRoles) throws SQLException {
        String previous = side.queryString(PREVIOUS_READ_ONLY);
        return new Fence(rolesToBlock(side, configuredRoles), previous == null ? "" : previous);
    }

    /**
     * Roles the fence would block now that {@code fence} does not: one created (or given LOGIN) after the fence was
     * planned can log in, and nothing else would stop it.
     */
    public static List<String> missedBy(TargetSession side, Fence fence, List<String> configuredRoles) throws SQLException {
        return rolesToBlock(side, configuredRoles).stream().filter(r -> !fence.blockedRoles().contains(r)).toList();
    }

    private static List<String> rolesToBlock(TargetSession side, List<String> configuredRoles) throws SQLException {
        try (var statement = side.jdbc().createStatement();
             ResultSet rows = statement.executeQuery(ClusterRole.withoutSessions(side.version()))) {
            return ClusterRole.toBlock(ClusterRole.readAll(rows), configuredRoles);
        }
    }

    /** What applying a fence did: the transaction that blocked the logins, and the sessions it ended. */
    public record Applied(long xid, List<String> endedPids) {
    }

    /**
     * What the fence leaves alone on a side: the operation's own sessions by pid, and the walsenders of the
     * replication slots the operation needs.
     */
    public record Spared(List<Integer> pids, List<String> slots) {
        public static final Spared NOTHING = new Spared(List.of(), List.of());

        private Object[] parameters(TargetSession side) throws SQLException {
            return new Object[]{side.jdbc().createArrayOf("text", slots.toArray()),
                    side.jdbc().createArrayOf("int4", pids.toArray())};
        }
    }

    /** Applies the fence: logins blocked in one transaction (its id returned), backstop set, sessions ended. */
    public static Applied apply(TargetSession side, Fence fence, Spared spared) throws SQLException {
        long xid = side.writeAsOne(alterLogin(fence, "NOLOGIN"));
        side.execute("ALTER SYSTEM SET default_transaction_read_only = on");
        side.execute("SELECT pg_reload_conf()");
        return new Applied(xid, endSessions(side, spared));
    }

    private static String[] alterLogin(Fence fence, String login) {
        return fence.blockedRoles().stream().map(role -> "ALTER ROLE " + Sql.ident(role) + " " + login).toArray(String[]::new);
    }

    /** Ends every other client session the daemon may end; returns their pids. */
    public static List<String> endSessions(TargetSession side, Spared spared) throws SQLException {
        return side.queryList(END_SESSIONS, spared.parameters(side));
    }

    /** The client sessions other than ours, in every database (empty: none is left that could write). */
    public static List<String> otherSessions(TargetSession side, Spared spared) throws SQLException {
        return side.queryList(OTHER_SESSIONS, spared.parameters(side));
    }

    /**
     * Waits (up to {@code timeout}) until no client session but ours is left on a fenced side, ending any that is
     * still there (one that was ending, or a login that raced the NOLOGIN); {@code alsoQuiet} adds a condition of
     * the caller's. Says whether it got there, and which sessions were still there at the deadline.
     */
    public static Quiet awaitOnlyOurs(TargetSession side, Spared spared, Duration timeout,
                                      Waits.Condition alsoQuiet) throws Exception {
        List<String> left = new java.util.ArrayList<>();
        // a short poll: this wait sits inside the write pause, and ended sessions are usually gone in a few ms
        boolean quiet = Waits.until(timeout, Duration.ofMillis(2), () -> {
            left.clear();
            left.addAll(otherSessions(side, spared));
            if (!left.isEmpty()) {
                endSessions(side, spared);
                return false;
            }
            return alsoQuiet.holds();
        });
        return new Quiet(quiet, quiet ? List.of() : List.copyOf(left));
    }

    /** What {@link #awaitOnlyOurs} came to: quiet, or the sessions left (empty: the caller's condition failed). */
    public record Quiet(boolean quiet, List<String> left) {
    }

    /** Safe to repeat: every statement sets a final value. Returns the id of the transaction that gave logins back. */
    public static long undo(TargetSession side, Fence fence) throws SQLException {
        if (fence.previousReadOnlySetting().isEmpty()) {
            side.execute("ALTER SYSTEM RESET default_transaction_read_only");
        } else {
            side.execute("ALTER SYSTEM SET default_transaction_read_only = " + Sql.literal(fence.previousReadOnlySetting()));
        }
        side.execute("SELECT pg_reload_conf()");
        // read-write whatever the server-wide default still says
        return side.writeAsOne(alterLogin(fence, "LOGIN"));
    }

    /** Whether an undo took: the fence's roles log in again and new sessions are not read-only (unless they were). */
    public static boolean lifted(TargetSession side, Fence fence) throws SQLException {
        boolean readOnly = "on".equals(side.queryString(READ_ONLY_FOR_NEW_SESSIONS));
        if (readOnly && !"on".equals(fence.previousReadOnlySetting())) {
            return false;
        }
        for (String role : fence.blockedRoles()) {
            if (!side.queryBoolean(CAN_LOG_IN, role)) {
                return false;
            }
        }
        return true;
    }

    /** Whether the side is still fenced as recorded (post-check). */
    public static boolean holds(TargetSession side, Fence fence) throws SQLException {
        if (!"on".equals(side.queryString(READ_ONLY_FOR_NEW_SESSIONS))) {
            return false;
        }
        for (String role : fence.blockedRoles()) {
            if (side.queryBoolean(CAN_LOG_IN, role)) {
                return false;
            }
        }
        return true;
    }
}
