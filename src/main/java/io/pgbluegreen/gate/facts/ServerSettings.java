package io.pgbluegreen.gate.facts;

import io.micronaut.serde.annotation.Serdeable;
import io.pgbluegreen.postgres.ViewQuery;
import io.pgbluegreen.postgres.ServerVersion;

import java.sql.ResultSet;
import java.sql.SQLException;

/**
 * The settings logical replication depends on, with how much of each is already in use; and whether new sessions
 * start read-only (default_transaction_read_only as a new session gets it: a fence's backstop).
 */
@Serdeable
public record ServerSettings(String walLevel, int maxReplicationSlots, int maxWalSenders, int maxWorkerProcesses,
                             int slotsInUse, int walSendersInUse, boolean readOnlyByDefault) {

    public static final String SQL = """
            SELECT current_setting('wal_level') AS wal_level,
                   current_setting('max_replication_slots')::int AS max_replication_slots,
                   current_setting('max_wal_senders')::int AS max_wal_senders,
                   current_setting('max_worker_processes')::int AS max_worker_processes,
                   (SELECT count(*) FROM pg_replication_slots)::int AS slots_in_use,
                   (SELECT count(*) FROM pg_stat_replication)::int AS wal_senders_in_use,
                   (SELECT reset_val FROM pg_settings WHERE name = 'default_transaction_read_only') = 'on'
                       AS read_only_by_default""";

    public static final ViewQuery<ServerSettings> QUERY = new ViewQuery<>() {
        @Override
        public String sql(ServerVersion version) {
            return SQL;
        }

        @Override
        public ServerSettings read(ResultSet rows) throws SQLException {
            rows.next();
            return new ServerSettings(rows.getString("wal_level"), rows.getInt("max_replication_slots"),
                    rows.getInt("max_wal_senders"), rows.getInt("max_worker_processes"), rows.getInt("slots_in_use"),
                    rows.getInt("wal_senders_in_use"), rows.getBoolean("read_only_by_default"));
        }
    };
}
