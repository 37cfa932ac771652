package io.pgbluegreen.gate.facts;

import io.micronaut.serde.annotation.Serdeable;
import io.pgbluegreen.sampling.view.ViewQuery;
import io.pgbluegreen.target.ServerVersion;

import java.sql.ResultSet;
import java.sql.SQLException;

/**
 * What the daemon's own role may do on a server, for the steps that follow the gate: block logins (CREATEROLE;
 * which roles it reaches is {@link LoginRole}'s business), end sessions (pg_signal_backend), see every process's
 * type and role (pg_read_all_stats, part of pg_monitor), set the read-only backstop (ALTER SYSTEM; grantable per
 * parameter from 15 on) and read what it replaces (pg_file_settings), promote (pg_promote, 12+).
 */
@Serdeable
public record RoleFacts(String role, boolean superuser, boolean createRole, boolean signalBackend, boolean alterSystem,
                        boolean promote, boolean readAllStats, boolean readFileSettings) {

    static final String TEMPLATE = """
            SELECT r.rolname, r.rolsuper, r.rolcreaterole,
                   pg_has_role(current_user, 'pg_signal_backend', 'MEMBER') AS signal_backend,
                   %s AS alter_system, %s AS promote,
                   r.rolsuper OR pg_has_role(current_user, 'pg_read_all_stats', 'USAGE') AS read_all_stats,
                   r.rolsuper OR (has_table_privilege('pg_catalog.pg_file_settings', 'SELECT')
                                  AND has_function_privilege('pg_catalog.pg_show_all_file_settings()', 'EXECUTE'))
                       AS read_file_settings
              FROM pg_roles r WHERE r.rolname = current_user""";
    public static final String SQL_15 = TEMPLATE.formatted(
            "r.rolsuper OR has_parameter_privilege('default_transaction_read_only', 'ALTER SYSTEM')",
            "has_function_privilege('pg_promote(boolean, integer)', 'EXECUTE')");
    public static final String SQL_12 = TEMPLATE.formatted("r.rolsuper",
            "has_function_privilege('pg_promote(boolean, integer)', 'EXECUTE')");
    public static final String SQL_11 = TEMPLATE.formatted("r.rolsuper", "r.rolsuper");

    public static final ViewQuery<RoleFacts> QUERY = new ViewQuery<>() {
        @Override
        public String sql(ServerVersion version) {
            return version.atLeast(15) ? SQL_15 : version.atLeast(12) ? SQL_12 : SQL_11;
        }

        @Override
        public RoleFacts read(ResultSet rows) throws SQLException {
            rows.next();
            return new RoleFacts(rows.getString("rolname"), rows.getBoolean("rolsuper"), rows.getBoolean("rolcreaterole"),
                    rows.getBoolean("signal_backend"), rows.getBoolean("alter_system"), rows.getBoolean("promote"),
                    rows.getBoolean("read_all_stats"), rows.getBoolean("read_file_settings"));
        }
    };
}
