package io.pgbluegreen.sampling.view;

import io.pgbluegreen.postgres.Rows;
import io.pgbluegreen.postgres.ViewQuery;

import io.micronaut.serde.annotation.Serdeable;
import io.pgbluegreen.postgres.Lsn;
import io.pgbluegreen.postgres.ServerVersion;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A subscription of the connected database with its apply worker (the pg_stat_subscription row without relid;
 * 16+ also has parallel apply workers, which carry a leader_pid), error counts from pg_stat_subscription_stats (15+)
 * and how many of its tables are in each pg_subscription_rel state.
 */
@Serdeable
public record Subscription(String name, boolean enabled, Integer workerPid, Lsn receivedLsn, Lsn latestEndLsn,
                           Double lastMessageAgeSeconds, Long applyErrorCount, Long syncErrorCount,
                           Map<String, Long> tablesByState) {

    /** Names of the pg_subscription_rel.srsubstate codes i, d, f (15+), s and r, as exported. */
    public static final List<String> TABLE_STATES = List.of("init", "data_copy", "finished_copy", "synchronized", "ready");

    static final String TEMPLATE = """
            SELECT s.subname, s.subenabled, w.pid AS worker_pid, w.received_lsn::text AS received_lsn,
                   w.latest_end_lsn::text AS latest_end_lsn,
                   extract(epoch FROM clock_timestamp() - w.last_msg_receipt_time)::float8 AS last_msg_age,
                   %s,
                   rel.init, rel.data_copy, rel.finished_copy, rel.synchronized, rel.ready
              FROM pg_subscription s
              LEFT JOIN pg_stat_subscription w ON w.subid = s.oid AND w.relid IS NULL %s
              %s
              LEFT JOIN LATERAL (
                   SELECT count(*) FILTER (WHERE srsubstate = 'i') AS init,
                          count(*) FILTER (WHERE srsubstate = 'd') AS data_copy,
                          count(*) FILTER (WHERE srsubstate = 'f') AS finished_copy,
                          count(*) FILTER (WHERE srsubstate = 's') AS synchronized,
                          count(*) FILTER (WHERE srsubstate = 'r') AS ready
                     FROM pg_subscription_rel r WHERE r.srsubid = s.oid) rel ON true
             WHERE s.subdbid = (SELECT oid FROM pg_database WHERE datname = current_database())
             ORDER BY s.subname""";
    static final String STATS_COLUMNS = "st.apply_error_count, st.sync_error_count";
    static final String STATS_JOIN = "LEFT JOIN pg_stat_subscription_stats st ON st.subid = s.oid";
    static final String NO_STATS = "NULL::bigint AS apply_error_count, NULL::bigint AS sync_error_count";
    public static final String SQL_16 = TEMPLATE.formatted(STATS_COLUMNS, "AND w.leader_pid IS NULL", STATS_JOIN);
    public static final String SQL_15 = TEMPLATE.formatted(STATS_COLUMNS, "", STATS_JOIN);
    public static final String SQL_11 = TEMPLATE.formatted(NO_STATS, "", "");

    public static final ViewQuery<List<Subscription>> QUERY = new ViewQuery<>() {
        @Override
        public String sql(ServerVersion version) {
            return version.atLeast(16) ? SQL_16 : version.atLeast(15) ? SQL_15 : SQL_11;
        }

        @Override
        public List<Subscription> read(ResultSet rows) throws SQLException {
            List<Subscription> subscriptions = new ArrayList<>();
            while (rows.next()) {
                Map<String, Long> tables = new LinkedHashMap<>();
                for (String state : TABLE_STATES) {
                    tables.put(state, rows.getLong(state));
                }
                subscriptions.add(new Subscription(rows.getString("subname"), rows.getBoolean("subenabled"),
                        Rows.intOrNull(rows, "worker_pid"), Rows.lsn(rows, "received_lsn"),
                        Rows.lsn(rows, "latest_end_lsn"), Rows.doubleOrNull(rows, "last_msg_age"),
                        Rows.longOrNull(rows, "apply_error_count"), Rows.longOrNull(rows, "sync_error_count"), tables));
            }
            return subscriptions;
        }
    };

    public boolean workerRunning() {
        return workerPid != null;
    }
}
