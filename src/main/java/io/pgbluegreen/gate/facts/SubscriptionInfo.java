package io.pgbluegreen.gate.facts;

import io.micronaut.serde.annotation.Serdeable;
import io.pgbluegreen.postgres.ViewQuery;
import io.pgbluegreen.postgres.ServerVersion;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * A subscription of the connected database: the publications it follows, who owns it (the steps alter it, which
 * takes its owner), and whether its apply worker may write what it applies when the owner is no superuser. From 16
 * on a worker with {@code runAsOwner} writes as the owner (SELECT, INSERT, UPDATE, DELETE and TRUNCATE on each table,
 * measured; row security only for the table's owner or BYPASSRLS), one without switches to each table's owner (the
 * owner must be able to SET ROLE to it); 15 checks the owner's privileges like run_as_owner; 14 and older check
 * nothing. {@code passwordRequired} false: only a superuser may alter it (16+). Table and owner names quoted for SQL.
 */
@Serdeable
public record SubscriptionInfo(String name, List<String> publications, boolean ownedByCurrentUser, String owner,
                               boolean runAsOwner, boolean passwordRequired, List<String> ownerCannotWrite,
                               List<String> ownerCannotBecomeTableOwner) {

    /** %1$s: run_as_owner, %2$s: password_required, %3$s and %4$s: the tables each way of applying cannot write. */
    static final String TEMPLATE = """
            SELECT s.subname, array_to_string(s.subpublications, ',') AS publications,
                   s.subowner = (SELECT oid FROM pg_roles WHERE rolname = current_user) AS owned,
                   quote_ident(o.rolname) AS owner, %1$s AS run_as_owner, %2$s AS password_required,
                   ARRAY(%3$s) AS cannot_write, ARRAY(%4$s) AS cannot_become_owner
              FROM pg_subscription s JOIN pg_roles o ON o.oid = s.subowner
             WHERE s.subdbid = (SELECT oid FROM pg_database WHERE datname = current_database())
             ORDER BY 1""";
    /** The subscription's tables, for a condition on {@code c} (the table) and {@code o} (the owner). */
    private static final String TABLES = """
            SELECT quote_ident(n.nspname) || '.' || quote_ident(c.relname)
              FROM pg_subscription_rel r JOIN pg_class c ON c.oid = r.srrelid JOIN pg_namespace n ON n.oid = c.relnamespace
             WHERE r.srsubid = s.oid AND NOT o.rolsuper AND (%s) ORDER BY 1""";
    private static final String CANNOT_WRITE = TABLES.formatted("""
            NOT (has_table_privilege(o.oid, c.oid, 'SELECT') AND has_table_privilege(o.oid, c.oid, 'INSERT')
                 AND has_table_privilege(o.oid, c.oid, 'UPDATE') AND has_table_privilege(o.oid, c.oid, 'DELETE')
                 AND has_table_privilege(o.oid, c.oid, 'TRUNCATE'))
            OR (c.relrowsecurity AND NOT o.rolbypassrls AND c.relowner <> o.oid)""");
    private static final String CANNOT_BECOME_OWNER = TABLES.formatted(
            "c.relowner <> o.oid AND NOT pg_has_role(o.oid, c.relowner, 'SET')");
    private static final String NONE = "SELECT NULL::text WHERE false";

    public static final String SQL_16 = TEMPLATE.formatted("s.subrunasowner", "s.subpasswordrequired", CANNOT_WRITE,
            CANNOT_BECOME_OWNER);
    public static final String SQL_15 = TEMPLATE.formatted("true", "true", CANNOT_WRITE, NONE);
    public static final String SQL_11 = TEMPLATE.formatted("true", "true", NONE, NONE);

    public static final ViewQuery<List<SubscriptionInfo>> QUERY = new ViewQuery<>() {
        @Override
        public String sql(ServerVersion version) {
            return version.atLeast(16) ? SQL_16 : version.atLeast(15) ? SQL_15 : SQL_11;
        }

        @Override
        public List<SubscriptionInfo> read(ResultSet rows) throws SQLException {
            List<SubscriptionInfo> subscriptions = new ArrayList<>();
            while (rows.next()) {
                String pubs = rows.getString("publications");
                subscriptions.add(new SubscriptionInfo(rows.getString("subname"),
                        pubs == null || pubs.isEmpty() ? List.of() : Arrays.asList(pubs.split(",")), rows.getBoolean("owned"),
                        rows.getString("owner"), rows.getBoolean("run_as_owner"), rows.getBoolean("password_required"),
                        FactRows.texts(rows, "cannot_write"), FactRows.texts(rows, "cannot_become_owner")));
            }
            return subscriptions;
        }
    };

    /** The tables its apply worker could not write as things stand (none while the owner is a superuser). */
    public List<String> applyDenied() {
        return runAsOwner ? ownerCannotWrite : ownerCannotBecomeTableOwner;
    }
}
