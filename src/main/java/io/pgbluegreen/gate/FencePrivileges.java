package io.pgbluegreen.gate;

import io.pgbluegreen.gate.facts.SideFacts;
import io.pgbluegreen.gate.facts.ClusterRole;
import io.pgbluegreen.gate.facts.DatabaseAccess;
import io.pgbluegreen.gate.facts.RoleFacts;

import java.util.List;

/**
 * What fencing a side takes (blue at a cutover, green at a rollback; a physical green also to give the fenced roles
 * their logins back after promote): ALTER ROLE ... NOLOGIN (CREATEROLE), ending sessions (pg_signal_backend), seeing
 * every session's role and type (pg_read_all_stats), the read-only backstop (ALTER SYSTEM, pg_reload_conf) and
 * reading what it replaces (pg_file_settings). Function and view grants are per database: named with it.
 */
public final class FencePrivileges {
    private FencePrivileges() {
    }

    /** What fencing blue and the post-checks' audit of every database need: what every fencing mode asks of blue. */
    public static void fenceAndAudit(List<MissingPrivilege> out, SideFacts blue) {
        add(out, blue.role(), blue.databaseAccess(), "fence_blue");
        connect(out, blue.role(), blue.databaseAccess(), "post_checks");
    }

    public static void add(List<MissingPrivilege> out, RoleFacts role, DatabaseAccess db, String purpose) {
        if (role.superuser()) {
            return;
        }
        String me = role.roleIdent();
        String inDatabase = " (in database " + db.database() + ", which the daemon connects to)";
        if (!role.createRole()) {
            out.add(new MissingPrivilege("CREATEROLE", purpose + ": ALTER ROLE ... NOLOGIN and LOGIN",
                    "ALTER ROLE " + me + " CREATEROLE"));
        }
        if (!role.signalBackend()) {
            out.add(new MissingPrivilege("privileges of pg_signal_backend", purpose + ": pg_terminate_backend of other roles' sessions",
                    "GRANT pg_signal_backend TO " + me));
        }
        if (!role.readAllStats()) {
            out.add(new MissingPrivilege("privileges of pg_read_all_stats, which pg_monitor has",
                    purpose + ": every session's role and process type, also for sampling",
                    "GRANT pg_read_all_stats TO " + me));
        }
        if (!role.alterSystem()) {
            out.add(role.major() >= 15
                    ? new MissingPrivilege("ALTER SYSTEM on default_transaction_read_only", purpose + ": ALTER SYSTEM SET default_transaction_read_only, the read-only backstop",
                    "GRANT ALTER SYSTEM ON PARAMETER default_transaction_read_only TO " + me)
                    : new MissingPrivilege("superuser", purpose + ": ALTER SYSTEM, the read-only backstop, which is"
                    + " superuser-only before PostgreSQL 15", "ALTER ROLE " + me + " SUPERUSER"));
        }
        if (!role.reloadConf()) {
            out.add(new MissingPrivilege("EXECUTE on pg_reload_conf()", purpose + ": pg_reload_conf() applies the backstop",
                    "GRANT EXECUTE ON FUNCTION pg_reload_conf() TO " + me + inDatabase));
        }
        if (!role.readFileSettings()) {
            out.add(new MissingPrivilege("SELECT on pg_file_settings and EXECUTE on pg_show_all_file_settings()",
                    purpose + ": the value the backstop replaces, to restore it",
                    "GRANT SELECT ON pg_file_settings TO " + me + " and GRANT EXECUTE ON FUNCTION pg_show_all_file_settings() TO "
                            + me + inDatabase));
        }
    }

    /**
     * The login roles (superusers aside: no grant reaches them) whose logins the daemon could not block, for a side
     * whose coverage no other check judges (green, which a rollback fences). CREATEROLE missing is said once above.
     */
    public static void unreachableRoles(List<MissingPrivilege> out, RoleFacts role, List<ClusterRole> roles, String purpose) {
        if (role.superuser() || !role.createRole()) {
            return;
        }
        for (ClusterRole r : roles) {
            if (r.canLogin() && !r.ours() && !r.superuser() && r.unfenceable() != null) {
                out.add(new MissingPrivilege("the logins of " + r.kind() + " " + r.name(), purpose + ": ALTER ROLE " + MissingPrivilege.ident(r.name())
                        + " NOLOGIN", r.unfenceable()));
            }
        }
    }

    /** CONNECT on every database that takes connections: the audit of a fenced side reads each one's statistics. */
    public static void connect(List<MissingPrivilege> out, RoleFacts role, DatabaseAccess db, String purpose) {
        if (role.superuser() || db.withoutConnect().isEmpty()) {
            return;
        }
        out.add(new MissingPrivilege("CONNECT on database(s) " + MissingPrivilege.names(db.withoutConnect()),
                purpose + ": the statistics of every database, to tell ANALYZE from a client's write",
                "GRANT CONNECT ON DATABASE " + MissingPrivilege.names(db.withoutConnect()) + " TO " + role.roleIdent()));
    }
}
