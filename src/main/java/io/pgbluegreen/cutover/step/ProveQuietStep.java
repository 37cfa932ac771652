package io.pgbluegreen.cutover.step;

import io.pgbluegreen.cutover.BlueFencer;
import io.pgbluegreen.cutover.CutoverContext;
import io.pgbluegreen.cutover.Step;
import io.pgbluegreen.cutover.StepFailure;
import io.pgbluegreen.cutover.Waits;
import io.pgbluegreen.target.Lsn;

import java.time.Duration;
import java.util.Map;

/**
 * Proves that no write is in flight on fenced blue — the ended sessions are gone, no other session (whatever
 * its name; only our own lock holder is in a transaction, without an id) holds a transaction id, no prepared
 * transaction — then (logical) writes the marker row and captures blue's
 * final WAL insert position and next transaction id: nothing after them may ever be needed on green.
 * The insert position, not the flushed one, so that commits acknowledged with synchronous_commit = off count too.
 */
public final class ProveQuietStep implements Step {
    static final Duration SESSIONS_GONE = Duration.ofSeconds(10);
    static final String WRITERS = """
            SELECT count(*) FROM pg_stat_activity WHERE backend_xid IS NOT NULL AND pid <> pg_backend_pid()""";
    static final String PREPARED = "SELECT count(*) FROM pg_prepared_xacts";
    static final String FINAL_POSITION = "SELECT pg_current_wal_insert_lsn()::text";
    public static final String NEXT_XID = "SELECT txid_snapshot_xmax(txid_current_snapshot())";
    static final String WRITE_MARKER = "INSERT INTO pgbg.cutover_marker(operation_id) VALUES (?) ON CONFLICT DO NOTHING";
    private final boolean writeMarker;

    public ProveQuietStep(boolean writeMarker) {
        this.writeMarker = writeMarker;
    }

    @Override
    public String name() {
        return "prove_quiet";
    }

    @Override
    public String run(CutoverContext context) throws Exception {
        var blue = context.blue();
        var ended = context.endedSessions();
        boolean gone = ended.isEmpty()
                || Waits.until(SESSIONS_GONE, Duration.ofMillis(20), () -> BlueFencer.stillThere(blue, ended) == 0);
        if (!gone) {
            throw new StepFailure(BlueFencer.stillThere(blue, ended) + " ended session(s) still on blue "
                    + SESSIONS_GONE.toSeconds() + "s after they were ended");
        }
        long writers = blue.queryLong(WRITERS);
        long prepared = blue.queryLong(PREPARED);
        if (writers > 0 || prepared > 0) {
            throw new StepFailure("writes in flight on blue: " + writers + " open writer(s), " + prepared + " prepared transaction(s)");
        }
        if (writeMarker) {
            blue.execute("SET default_transaction_read_only = off");
            blue.execute(WRITE_MARKER, context.operation().id());
        }
        Lsn finalLsn = Lsn.parse(blue.queryString(FINAL_POSITION));
        long nextXid = blue.queryLong(NEXT_XID);
        context.finalPosition(finalLsn, nextXid);
        context.remember(name(), Map.of("final_lsn", finalLsn.text(), "blue_next_xid", String.valueOf(nextXid)));
        return "blue is quiet at " + finalLsn.text() + " (next xid " + nextXid + ")" + (writeMarker ? ", marker written" : "");
    }
}
