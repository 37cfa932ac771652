package io.pgbluegreen.gate.facts;

import io.micronaut.serde.annotation.Serdeable;
import io.pgbluegreen.postgres.ViewQuery;
import io.pgbluegreen.postgres.ServerVersion;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * Processes that write without logging in, so no fence of logins or of default_transaction_read_only stops them:
 * logical replication apply workers of enabled subscriptions (in any database of the cluster), and background
 * workers of extensions that run jobs (pg_cron, ...). Read from pg_stat_activity and pg_subscription, both
 * cluster-wide. {@code backend_type} of another role's process is visible only with pg_read_all_stats
 * (pg_monitor): without it a process reads as type {@code null} and counts as unknown, never as harmless.
 */
@Serdeable
public record WriterProcesses(List<String> enabledSubscriptions, List<String> backgroundWorkers) {

    /** PostgreSQL's own process types (11-17) that never write client data; anything else is an extension's worker. */
    public static final Set<String> BUILT_IN = Set.of("client backend", "autovacuum launcher", "autovacuum worker",
            "background writer", "checkpointer", "walwriter", "walsender", "walreceiver", "startup", "archiver",
            "parallel worker", "standalone backend", "walsummarizer", "slotsync worker", "io worker",
            "logical replication launcher",
            // pg_prewarm only reads blocks into shared buffers
            "autoprewarm leader", "autoprewarm worker");

    /** One row per enabled subscription ("name in database"), then one per process of another type. */
    public static final String SQL = """
            SELECT 'subscription', s.subname || ' in database ' || d.datname
              FROM pg_subscription s JOIN pg_database d ON d.oid = s.subdbid WHERE s.subenabled
            UNION ALL
            SELECT 'process', coalesce(a.backend_type, 'a process whose type is hidden (grant pg_monitor)')
                   || ' (pid ' || a.pid || coalesce(', database ' || a.datname, '') || ')'
              FROM pg_stat_activity a
             WHERE a.backend_type IS NULL OR NOT (a.backend_type = ANY (string_to_array(%s, ',')))
                   AND a.backend_type NOT LIKE 'logical replication %%'
             ORDER BY 1, 2""".formatted("'" + String.join(",", BUILT_IN.stream().sorted().toList()) + "'");

    public static final ViewQuery<WriterProcesses> QUERY = new ViewQuery<>() {
        @Override
        public String sql(ServerVersion version) {
            return SQL;
        }

        @Override
        public WriterProcesses read(ResultSet rows) throws SQLException {
            List<String> subscriptions = new ArrayList<>();
            List<String> workers = new ArrayList<>();
            while (rows.next()) {
                ("subscription".equals(rows.getString(1)) ? subscriptions : workers).add(rows.getString(2));
            }
            return new WriterProcesses(subscriptions, workers);
        }
    };
}
