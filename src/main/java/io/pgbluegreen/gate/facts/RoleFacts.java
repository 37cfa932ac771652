package io.pgbluegreen.gate.facts;

import io.micronaut.serde.annotation.Serdeable;
import io.pgbluegreen.postgres.ViewQuery;
import io.pgbluegreen.postgres.ServerVersion;

import java.sql.ResultSet;
import java.sql.SQLException;

/**
 * What the daemon's own role may do on a server, for the steps that follow the gate: block logins (CREATEROLE;
 * which roles it reaches is {@link ClusterRole}'s business), end sessions (privileges of pg_signal_backend), see
 * every process's type and role (pg_read_all_stats, part of pg_monitor), set the read-only backstop (ALTER SYSTEM;
 * grantable per parameter from 15 on) and apply it (pg_reload_conf), read what it replaces (pg_file_settings),
 * promote (pg_promote, 12+), create a logical slot (REPLICATION) and a subscription (pg_create_subscription, 16+).
 * Role memberships count only where their privileges are inherited (USAGE): that is what the server checks.
 * Function and view grants live in each database: these are the ones of the database the daemon connects to.
 * {@code roleIdent} is the role's name quoted for SQL, for the GRANTs the gate suggests.
 */
@Serdeable
public record RoleFacts(String role, String roleIdent, int major, boolean superuser, boolean createRole,
                        boolean replication, boolean signalBackend, boolean readAllStats, boolean alterSystem,
                        boolean reloadConf, boolean readFileSettings, boolean promote, boolean createSubscription) {

    /** %1$s: ALTER SYSTEM on the backstop, %2$s: pg_promote, %3$s: CREATE SUBSCRIPTION. */
    static final String TEMPLATE = """
            SELECT r.rolname, quote_ident(r.rolname) AS role_ident,
                   current_setting('server_version_num')::int / 10000 AS major,
                   r.rolsuper, r.rolcreaterole, r.rolreplication,
                   r.rolsuper OR pg_has_role(current_user, 'pg_signal_backend', 'USAGE') AS signal_backend,
                   r.rolsuper OR pg_has_role(current_user, 'pg_read_all_stats', 'USAGE') AS read_all_stats,
                   %1$s AS alter_system,
                   r.rolsuper OR has_function_privilege('pg_catalog.pg_reload_conf()', 'EXECUTE') AS reload_conf,
                   r.rolsuper OR (has_table_privilege('pg_catalog.pg_file_settings', 'SELECT')
                                  AND has_function_privilege('pg_catalog.pg_show_all_file_settings()', 'EXECUTE'))
                       AS read_file_settings,
                   %2$s AS promote, %3$s AS create_subscription
              FROM pg_roles r WHERE r.rolname = current_user""";
    private static final String PROMOTE = "r.rolsuper OR has_function_privilege('pg_catalog.pg_promote(boolean, integer)', 'EXECUTE')";
    public static final String SQL_16 = TEMPLATE.formatted(
            "r.rolsuper OR has_parameter_privilege('default_transaction_read_only', 'ALTER SYSTEM')", PROMOTE,
            "r.rolsuper OR pg_has_role(current_user, 'pg_create_subscription', 'USAGE')");
    /** ALTER SYSTEM becomes grantable per parameter. */
    public static final String SQL_15 = TEMPLATE.formatted(
            "r.rolsuper OR has_parameter_privilege('default_transaction_read_only', 'ALTER SYSTEM')", PROMOTE, "r.rolsuper");
    public static final String SQL_12 = TEMPLATE.formatted("r.rolsuper", PROMOTE, "r.rolsuper");
    /** 11 has no pg_promote(): the deployment's promote-command promotes, no privilege of the role is used. */
    public static final String SQL_11 = TEMPLATE.formatted("r.rolsuper", "true", "r.rolsuper");

    public static final ViewQuery<RoleFacts> QUERY = new ViewQuery<>() {
        @Override
        public String sql(ServerVersion version) {
            return version.atLeast(16) ? SQL_16 : version.atLeast(15) ? SQL_15 : version.atLeast(12) ? SQL_12 : SQL_11;
        }

        @Override
        public RoleFacts read(ResultSet rows) throws SQLException {
            rows.next();
            return new RoleFacts(rows.getString("rolname"), rows.getString("role_ident"), rows.getInt("major"),
                    rows.getBoolean("rolsuper"), rows.getBoolean("rolcreaterole"), rows.getBoolean("rolreplication"),
                    rows.getBoolean("signal_backend"), rows.getBoolean("read_all_stats"), rows.getBoolean("alter_system"),
                    rows.getBoolean("reload_conf"), rows.getBoolean("read_file_settings"), rows.getBoolean("promote"),
                    rows.getBoolean("create_subscription"));
        }
    };
}
