package io.pgbluegreen.gate.facts;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.serde.annotation.Serdeable;
import io.pgbluegreen.postgres.ViewQuery;
import io.pgbluegreen.postgres.ServerVersion;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

/**
 * A role of the cluster (pg_* roles aside). Each one that can log in, whatever it is (superuser, REPLICATION,
 * BYPASSRLS, with settings of its own), can write: the fence must block its logins or the gate must say why not.
 * {@code unfenceable} is why the daemon's role cannot take its LOGIN away (null: it can);
 * {@code foreignSessions} counts its client sessions that are not pg-bluegreen's (for the daemon's own role:
 * applications sharing it, which no fence can block).
 */
@Serdeable
public record ClusterRole(String name, boolean canLogin, boolean superuser, boolean replication, boolean ours,
                          long foreignSessions,
                          @Nullable String unfenceable) {

    /** The one reason per major that the daemon's role may not alter {@code r}; %s is the version's extra branch. */
    /** Client sessions of the role that are not pg-bluegreen's: for the daemon's own role, applications sharing it. */
    static final String FOREIGN_SESSIONS = """
            (SELECT count(*) FROM pg_stat_activity a
                     WHERE a.usesysid = r.oid AND a.backend_type = 'client backend' AND a.pid <> pg_backend_pid()
                       AND a.application_name IS DISTINCT FROM 'pg-bluegreen') AS foreign_sessions""";
    static final String TEMPLATE = """
            SELECT r.rolname, r.rolcanlogin, r.rolsuper, r.rolreplication, r.rolname = current_user AS ours,
                   """ + FOREIGN_SESSIONS + """
            ,
                   CASE WHEN me.rolsuper THEN NULL
                        WHEN r.rolsuper THEN 'it is a superuser and the daemon''s role is not'
                        WHEN NOT me.rolcreaterole THEN 'the daemon''s role lacks CREATEROLE'
                        %s
                        ELSE NULL END AS unfenceable
              FROM pg_roles r CROSS JOIN pg_roles me
             WHERE me.rolname = current_user AND r.rolname NOT LIKE 'pg\\_%%'
             ORDER BY 1""";
    /** Before 16 only a superuser may alter a REPLICATION role at all (BYPASSRLS ones CREATEROLE may, measured on 15). */
    public static final String SQL_11 = TEMPLATE.formatted("""
            WHEN r.rolreplication THEN 'it has REPLICATION, which before PostgreSQL 16 only a superuser may alter'""");
    /**
     * From 16 on CREATEROLE reaches only the roles it holds ADMIN OPTION on (REPLICATION and BYPASSRLS roles too,
     * measured on 16 and 17). INHERIT FALSE, SET FALSE: the daemon may alter the role without using its privileges.
     */
    public static final String SQL_16 = TEMPLATE.formatted("""
            WHEN NOT pg_has_role(me.oid, r.oid, 'MEMBER WITH ADMIN OPTION')
                 THEN 'the daemon''s role has no ADMIN OPTION on it (GRANT ' || quote_ident(r.rolname) || ' TO '
                      || quote_ident(me.rolname) || ' WITH ADMIN OPTION, INHERIT FALSE, SET FALSE)'""");

    public static String sql(ServerVersion version) {
        return version.atLeast(16) ? SQL_16 : SQL_11;
    }

    /** The same without counting sessions (pg_stat_activity per role): what a fence plans with, inside the pause. */
    public static String withoutSessions(ServerVersion version) {
        return sql(version).replace(FOREIGN_SESSIONS, "0 AS foreign_sessions");
    }

    public static final ViewQuery<List<ClusterRole>> QUERY = new ViewQuery<>() {
        @Override
        public String sql(ServerVersion version) {
            return ClusterRole.sql(version);
        }

        @Override
        public List<ClusterRole> read(ResultSet rows) throws SQLException {
            return readAll(rows);
        }
    };

    public static List<ClusterRole> readAll(ResultSet rows) throws SQLException {
        List<ClusterRole> roles = new ArrayList<>();
        while (rows.next()) {
            roles.add(new ClusterRole(rows.getString("rolname"), rows.getBoolean("rolcanlogin"), rows.getBoolean("rolsuper"),
                    rows.getBoolean("rolreplication"), rows.getBoolean("ours"), rows.getLong("foreign_sessions"),
                    rows.getString("unfenceable")));
        }
        return roles;
    }

    /**
     * The roles a fence blocks: every one that can log in but the daemon's own, as far as the daemon can reach them
     * (the gate names those it cannot, and those an explicit {@code fence-roles} leaves out).
     */
    public static List<String> toBlock(List<ClusterRole> roles, List<String> configured) {
        boolean explicit = configured != null && !configured.isEmpty();
        return roles.stream().filter(r -> r.canLogin() && !r.ours() && r.unfenceable() == null)
                .filter(r -> !explicit || configured.contains(r.name())).map(ClusterRole::name).toList();
    }

    public String kind() {
        return superuser ? "superuser" : replication ? "replication role" : "role";
    }
}
