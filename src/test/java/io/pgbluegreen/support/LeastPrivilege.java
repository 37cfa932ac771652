package io.pgbluegreen.support;

import io.pgbluegreen.fixture.PgServer;

import java.util.ArrayList;
import java.util.List;

/**
 * The grants the README's "Least privilege" section documents, as statements a test runs: a daemon role {@value #ROLE}
 * that is no superuser and gets exactly these. Each grant comes with the statement that takes it back and a phrase
 * the gate must then show, so a test can prove that every one of them is needed and named. A README test checks that
 * each statement appears there verbatim.
 */
public final class LeastPrivilege {
    public static final String ROLE = "pgbg";
    public static final String PASSWORD = "pgbg-least-privilege";
    public static final String CREATE_ROLE = "CREATE ROLE " + ROLE + " LOGIN PASSWORD '" + PASSWORD + "'";

    /** Where a grant is run. */
    public enum Side { BLUE, GREEN }

    /**
     * One documented grant: run on {@code side}, in the database the daemon connects to; {@code revoke} takes it back
     * and the gate then shows {@code named} in a blocking check's message.
     */
    public record Grant(Side side, String statement, String revoke, String named) {
        public void apply(PgServer blue, PgServer green, String database) {
            (side == Side.BLUE ? blue : green).execute(database, statement);
        }

        public void takeBack(PgServer blue, PgServer green, String database) {
            (side == Side.BLUE ? blue : green).execute(database, revoke);
        }
    }

    private LeastPrivilege() {
    }

    /** A grant the gate names by the very statement that grants it. */
    private static Grant named(Side side, String statement, String revoke) {
        return new Grant(side, statement, revoke, statement);
    }

    /** The fence on one side (blue at cutover; green at a rollback, and a physical green after promote). */
    public static List<Grant> fence(Side side, int major, List<String> loginRoles) {
        List<Grant> grants = new ArrayList<>(List.of(
                named(side, "ALTER ROLE " + ROLE + " CREATEROLE", "ALTER ROLE " + ROLE + " NOCREATEROLE"),
                named(side, "GRANT pg_read_all_stats TO " + ROLE, "REVOKE pg_read_all_stats FROM " + ROLE),
                named(side, "GRANT pg_signal_backend TO " + ROLE, "REVOKE pg_signal_backend FROM " + ROLE),
                named(side, "GRANT ALTER SYSTEM ON PARAMETER default_transaction_read_only TO " + ROLE,
                        "REVOKE ALTER SYSTEM ON PARAMETER default_transaction_read_only FROM " + ROLE),
                named(side, "GRANT EXECUTE ON FUNCTION pg_reload_conf() TO " + ROLE,
                        "REVOKE EXECUTE ON FUNCTION pg_reload_conf() FROM " + ROLE),
                named(side, "GRANT SELECT ON pg_file_settings TO " + ROLE, "REVOKE SELECT ON pg_file_settings FROM " + ROLE),
                named(side, "GRANT EXECUTE ON FUNCTION pg_show_all_file_settings() TO " + ROLE,
                        "REVOKE EXECUTE ON FUNCTION pg_show_all_file_settings() FROM " + ROLE)));
        if (major >= 16) {
            for (String role : loginRoles) {
                grants.add(named(side, "GRANT " + role + " TO " + ROLE + " WITH ADMIN OPTION, INHERIT FALSE, SET FALSE",
                        "REVOKE " + role + " FROM " + ROLE));
            }
        }
        return grants;
    }

    /** Physical: all on blue, green gets them through WAL. */
    public static List<Grant> physical(int major, List<String> loginRoles) {
        List<Grant> grants = fence(Side.BLUE, major, loginRoles);
        grants.add(named(Side.BLUE, "GRANT EXECUTE ON FUNCTION pg_promote(boolean, integer) TO " + ROLE,
                "REVOKE EXECUTE ON FUNCTION pg_promote(boolean, integer) FROM " + ROLE));
        return grants;
    }

    /**
     * Logical without reverse replication, green 16 or later, a publication FOR ALL TABLES, the application's tables
     * (items, accounts) and sequence (items_id_seq) in schema public. Order matters on green: the apply worker must be
     * able to write as {@value #ROLE} (table privileges, run_as_owner) before the subscription becomes its.
     */
    public static List<Grant> logical(int blueMajor, int greenMajor, List<String> loginRoles, String subscription) {
        List<Grant> grants = fence(Side.BLUE, blueMajor, loginRoles);
        grants.add(named(Side.BLUE, "CREATE SCHEMA pgbg AUTHORIZATION " + ROLE, "DROP SCHEMA pgbg"));
        grants.add(new Grant(Side.BLUE, "GRANT SELECT ON ALL SEQUENCES IN SCHEMA public TO " + ROLE,
                "REVOKE SELECT ON ALL SEQUENCES IN SCHEMA public FROM " + ROLE, "GRANT SELECT ON SEQUENCE public.items_id_seq TO " + ROLE));
        grants.addAll(fence(Side.GREEN, greenMajor, loginRoles));
        grants.add(named(Side.GREEN, "CREATE SCHEMA pgbg AUTHORIZATION " + ROLE, "DROP SCHEMA pgbg"));
        grants.add(new Grant(Side.GREEN, "GRANT SELECT, UPDATE ON ALL SEQUENCES IN SCHEMA public TO " + ROLE,
                "REVOKE SELECT, UPDATE ON ALL SEQUENCES IN SCHEMA public FROM " + ROLE, "ON SEQUENCE public.items_id_seq TO " + ROLE));
        grants.add(new Grant(Side.GREEN, "GRANT SELECT, INSERT, UPDATE, DELETE, TRUNCATE ON ALL TABLES IN SCHEMA public TO " + ROLE,
                "REVOKE SELECT, INSERT, UPDATE, DELETE, TRUNCATE ON ALL TABLES IN SCHEMA public FROM " + ROLE,
                "GRANT SELECT, INSERT, UPDATE, DELETE, TRUNCATE ON public.accounts, public.items TO " + ROLE));
        grants.add(named(Side.GREEN, "ALTER SUBSCRIPTION " + subscription + " SET (run_as_owner = true)",
                "ALTER SUBSCRIPTION " + subscription + " SET (run_as_owner = false)"));
        grants.add(named(Side.GREEN, "ALTER SUBSCRIPTION " + subscription + " OWNER TO " + ROLE,
                "ALTER SUBSCRIPTION " + subscription + " OWNER TO " + PgServer.SUPERUSER));
        return grants;
    }

    /** What reverse replication adds to {@link #logical} (blue 16 or later). */
    public static List<Grant> reverse(String database) {
        return List.of(
                named(Side.BLUE, "GRANT pg_create_subscription TO " + ROLE, "REVOKE pg_create_subscription FROM " + ROLE),
                named(Side.BLUE, "GRANT CREATE ON DATABASE " + database + " TO " + ROLE,
                        "REVOKE CREATE ON DATABASE " + database + " FROM " + ROLE),
                new Grant(Side.BLUE, "GRANT SELECT, INSERT, UPDATE, DELETE, TRUNCATE ON ALL TABLES IN SCHEMA public TO " + ROLE,
                        "REVOKE SELECT, INSERT, UPDATE, DELETE, TRUNCATE ON ALL TABLES IN SCHEMA public FROM " + ROLE,
                        "GRANT SELECT, INSERT, UPDATE, DELETE, TRUNCATE ON public.accounts, public.items TO " + ROLE),
                new Grant(Side.BLUE, "GRANT UPDATE ON ALL SEQUENCES IN SCHEMA public TO " + ROLE,
                        "REVOKE UPDATE ON ALL SEQUENCES IN SCHEMA public FROM " + ROLE,
                        "GRANT UPDATE ON SEQUENCE public.items_id_seq TO " + ROLE),
                named(Side.GREEN, "ALTER ROLE " + ROLE + " REPLICATION", "ALTER ROLE " + ROLE + " NOREPLICATION"),
                new Grant(Side.GREEN, "CREATE PUBLICATION pgbg_reverse FOR ALL TABLES", "DROP PUBLICATION pgbg_reverse",
                        "CREATE PUBLICATION pgbg_reverse FOR ALL TABLES (as a superuser"));
    }

    /** Creates the role on {@code server} (roles are per cluster; a physical standby gets it through WAL). */
    public static void createRole(PgServer server) {
        server.execute("postgres", CREATE_ROLE);
    }

    public static void grantAll(List<Grant> grants, PgServer blue, PgServer green, String database) {
        grants.forEach(g -> g.apply(blue, green, database));
    }
}
