package io.pgbluegreen.sampling.view;

import io.pgbluegreen.postgres.Rows;
import io.pgbluegreen.postgres.ViewQuery;

import io.micronaut.serde.annotation.Serdeable;
import io.pgbluegreen.postgres.Lsn;
import io.pgbluegreen.postgres.ServerVersion;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

/** One row of pg_replication_slots. wal_status and safe_wal_size exist from 13 on. */
@Serdeable
public record ReplicationSlot(String name, String type, String plugin, String database, boolean active,
                              Integer activePid, Lsn restartLsn, Lsn confirmedFlushLsn, String walStatus,
                              Long safeWalSizeBytes) {

    static final String COLUMNS = "SELECT slot_name, slot_type, plugin, database, active, active_pid, "
            + "restart_lsn::text AS restart_lsn, confirmed_flush_lsn::text AS confirmed_flush_lsn, ";
    static final String ORDER = " FROM pg_replication_slots ORDER BY slot_name";
    public static final String SQL_13 = COLUMNS + "wal_status, safe_wal_size" + ORDER;
    public static final String SQL_11 = COLUMNS + "NULL::text AS wal_status, NULL::bigint AS safe_wal_size" + ORDER;

    public static final ViewQuery<List<ReplicationSlot>> QUERY = new ViewQuery<>() {
        @Override
        public String sql(ServerVersion version) {
            return version.atLeast(13) ? SQL_13 : SQL_11;
        }

        @Override
        public List<ReplicationSlot> read(ResultSet rows) throws SQLException {
            List<ReplicationSlot> slots = new ArrayList<>();
            while (rows.next()) {
                slots.add(new ReplicationSlot(rows.getString("slot_name"), rows.getString("slot_type"),
                        rows.getString("plugin"), rows.getString("database"), rows.getBoolean("active"),
                        Rows.intOrNull(rows, "active_pid"), Rows.lsn(rows, "restart_lsn"),
                        Rows.lsn(rows, "confirmed_flush_lsn"), rows.getString("wal_status"),
                        Rows.longOrNull(rows, "safe_wal_size")));
            }
            return slots;
        }
    };

    public boolean logical() {
        return "logical".equals(type);
    }
}
