package io.pgbluegreen.cutover;

import io.pgbluegreen.target.TargetSession;

import java.sql.SQLException;
import java.util.List;

/**
 * Layered fencing of blue, strongest first: application roles lose LOGIN (no new session, whatever it would SET),
 * their sessions are ended (a session that overrides read-only with BEGIN READ WRITE or its own role settings
 * is gone), and default_transaction_read_only goes on as a backstop for anything left. Only the operation's own
 * sessions are spared, by process id: an application_name can be spoofed, a pid cannot. (The daemon's sampler
 * sessions are ended too; they reconnect and only read.) Replication connections are not client backends.
 * Undo restores exactly what was changed.
 */
public final class BlueFencer {
    static final String AUTOMATIC_ROLES = """
            SELECT rolname FROM pg_roles
             WHERE rolcanlogin AND NOT rolsuper AND NOT rolreplication AND rolname <> current_user
               AND rolname NOT LIKE 'pg\\_%' ORDER BY 1""";
    static final String CONFIGURED_ROLES = "SELECT rolname FROM pg_roles WHERE rolcanlogin AND rolname = ANY(?) ORDER BY 1";
    static final String PREVIOUS_READ_ONLY = """
            SELECT setting FROM pg_file_settings
             WHERE name = 'default_transaction_read_only' AND sourcefile LIKE '%postgresql.auto.conf'
             ORDER BY seqno DESC LIMIT 1""";
    // pg_terminate_backend sits in the target list of a subquery: a WHERE clause may be evaluated in any order
    // (it could end our own session first), a volatile target list keeps the subquery from being flattened.
    static final String END_SESSIONS = """
            SELECT pid FROM (
                SELECT pid, pg_terminate_backend(pid) AS ended FROM pg_stat_activity
                 WHERE backend_type = 'client backend' AND pid <> pg_backend_pid() AND pid <> ALL(?)) t
             WHERE ended""";
    static final String STILL_THERE = "SELECT count(*) FROM pg_stat_activity WHERE pid = ANY(?)";

    private BlueFencer() {
    }

    /** Decides what to change without changing it, so the plan can be journaled first. */
    public static Fence plan(TargetSession blue, List<String> configuredRoles) throws SQLException {
        List<String> roles = configuredRoles == null || configuredRoles.isEmpty()
                ? blue.queryList(AUTOMATIC_ROLES)
                : blue.queryList(CONFIGURED_ROLES, blue.jdbc().createArrayOf("text", configuredRoles.toArray()));
        String previous = blue.queryString(PREVIOUS_READ_ONLY);
        return new Fence(roles, previous == null ? "" : previous);
    }

    /** Applies the fence; returns the process ids of the sessions it ended (all but ours and {@code spared}). */
    public static List<String> apply(TargetSession blue, Fence fence, List<Integer> spared) throws SQLException {
        for (String role : fence.blockedRoles()) {
            blue.execute("ALTER ROLE " + Sql.ident(role) + " NOLOGIN");
        }
        blue.execute("ALTER SYSTEM SET default_transaction_read_only = on");
        blue.execute("SELECT pg_reload_conf()");
        return blue.queryList(END_SESSIONS, blue.jdbc().createArrayOf("int4", spared.toArray()));
    }

    /** How many of the ended sessions still exist (pg_terminate_backend only signals). */
    public static long stillThere(TargetSession blue, List<String> pids) throws SQLException {
        Integer[] ids = pids.stream().map(Integer::valueOf).toArray(Integer[]::new);
        return blue.queryLong(STILL_THERE, blue.jdbc().createArrayOf("int4", ids));
    }

    /** Safe to repeat: every statement sets a final value. */
    public static void undo(TargetSession blue, Fence fence) throws SQLException {
        // our own session must write (ALTER ROLE) while the server-wide default still says read-only
        blue.execute("SET default_transaction_read_only = off");
        if (fence.previousReadOnlySetting().isEmpty()) {
            blue.execute("ALTER SYSTEM RESET default_transaction_read_only");
        } else {
            blue.execute("ALTER SYSTEM SET default_transaction_read_only = " + Sql.literal(fence.previousReadOnlySetting()));
        }
        blue.execute("SELECT pg_reload_conf()");
        for (String role : fence.blockedRoles()) {
            blue.execute("ALTER ROLE " + Sql.ident(role) + " LOGIN");
        }
    }

    /** Whether blue is still fenced as recorded (post-check). */
    public static boolean holds(TargetSession blue, Fence fence) throws SQLException {
        // reset_val: what a new session gets, whatever our own session has SET
        if (!"on".equals(blue.queryString("SELECT reset_val FROM pg_settings WHERE name = 'default_transaction_read_only'"))) {
            return false;
        }
        for (String role : fence.blockedRoles()) {
            if (blue.queryBoolean("SELECT rolcanlogin FROM pg_roles WHERE rolname = ?", role)) {
                return false;
            }
        }
        return true;
    }
}
