package io.pgbluegreen.sampling.view;

import io.pgbluegreen.postgres.Rows;
import io.pgbluegreen.postgres.ViewQuery;

import io.micronaut.serde.annotation.Serdeable;
import io.pgbluegreen.postgres.Lsn;
import io.pgbluegreen.postgres.ServerVersion;

import java.sql.ResultSet;
import java.sql.SQLException;

/**
 * pg_stat_wal_receiver on a standby: no row means no receiver (cut off, or a primary). latest_end_lsn is the
 * sender's WAL end as of its last message, keepalives included, so replay at or past it means caught up.
 * 13 renamed received_lsn to flushed_lsn.
 */
@Serdeable
public record WalReceiver(String status, Lsn flushedLsn, Lsn latestEndLsn, Double lastMessageAgeSeconds,
                          Double latestEndAgeSeconds, String senderHost, Integer senderPort, String slotName,
                          Integer receivedTimeline) {

    static final String TEMPLATE = """
            SELECT status, %s::text AS flushed_lsn, latest_end_lsn::text AS latest_end_lsn,
                   extract(epoch FROM clock_timestamp() - last_msg_receipt_time)::float8 AS last_msg_age,
                   extract(epoch FROM clock_timestamp() - latest_end_time)::float8 AS latest_end_age,
                   sender_host, sender_port, slot_name, received_tli
              FROM pg_stat_wal_receiver""";
    public static final String SQL_13 = TEMPLATE.formatted("flushed_lsn");
    public static final String SQL_11 = TEMPLATE.formatted("received_lsn");

    public static final ViewQuery<WalReceiver> QUERY = new ViewQuery<>() {
        @Override
        public String sql(ServerVersion version) {
            return version.atLeast(13) ? SQL_13 : SQL_11;
        }

        @Override
        public WalReceiver read(ResultSet rows) throws SQLException {
            if (!rows.next()) {
                return null;
            }
            return new WalReceiver(rows.getString("status"), Rows.lsn(rows, "flushed_lsn"),
                    Rows.lsn(rows, "latest_end_lsn"), Rows.doubleOrNull(rows, "last_msg_age"),
                    Rows.doubleOrNull(rows, "latest_end_age"), rows.getString("sender_host"),
                    Rows.intOrNull(rows, "sender_port"), rows.getString("slot_name"), Rows.intOrNull(rows, "received_tli"));
        }
    };

    public boolean streaming() {
        return "streaming".equals(status);
    }
}
