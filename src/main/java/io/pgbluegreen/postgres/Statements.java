package io.pgbluegreen.postgres;

/** Statements that several features send, written once. */
public final class Statements {
    /** The next transaction id the server will hand out (ids below it are taken or done). */
    public static final String NEXT_XID = "SELECT txid_snapshot_xmax(txid_current_snapshot())";
    public static final String IN_RECOVERY = "SELECT pg_is_in_recovery()";
    /** Our own session writes on a side whose default a fence made read-only. */
    public static final String READ_WRITE = "SET default_transaction_read_only = off";
    /** Sessions but ours holding a transaction id: someone may still commit a write. */
    public static final String WRITERS = """
            SELECT count(*) FROM pg_stat_activity WHERE backend_xid IS NOT NULL AND pid <> pg_backend_pid()""";
    /** How far a logical slot's consumer confirmed it has everything. */
    public static final String SLOT_CONFIRMED_FLUSH = """
            SELECT confirmed_flush_lsn::text FROM pg_replication_slots WHERE slot_name = ?""";

    private Statements() {
    }
}
