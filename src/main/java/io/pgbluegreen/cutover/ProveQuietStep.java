package io.pgbluegreen.cutover;

import io.pgbluegreen.journal.StepFact;
import io.pgbluegreen.postgres.Statements;
import io.pgbluegreen.fence.Fencer;
import io.pgbluegreen.operation.OperationContext;
import io.pgbluegreen.operation.Step;
import io.pgbluegreen.operation.StepFailure;
import io.pgbluegreen.postgres.Lsn;

import java.time.Duration;
import java.util.List;

/**
 * Proves that nothing can write on fenced blue any more: no client session other than ours is left in any database
 * (a writer that was ending, or a login that raced the NOLOGIN, is ended again until none is left; a transaction-id
 * check alone would miss a reconnecting writer that holds none yet), no session holds a transaction id, no prepared
 * transaction. Then writes what the mode writes last (a logical cutover's marker row) and captures blue's final WAL insert position and next
 * transaction id: nothing after them may ever be needed on green. The insert position, not the flushed one, so that
 * commits acknowledged with synchronous_commit = off count too.
 */
public final class ProveQuietStep implements Step {
    /** This step's name in the journal and the API. */
    public static final String NAME = "prove_quiet";
    static final Duration SESSIONS_GONE = Duration.ofSeconds(10);
    /** Writers holding a transaction id, and prepared transactions: one round trip inside the write pause. */
    static final String IN_FLIGHT = """
            SELECT (SELECT count(*) FROM pg_stat_activity WHERE backend_xid IS NOT NULL AND pid <> pg_backend_pid()),
                   (SELECT count(*) FROM pg_prepared_xacts)""";
    /** Position and next transaction id, in one round trip inside the write pause. */
    static final String CAPTURE = """
            SELECT pg_current_wal_insert_lsn()::text, txid_snapshot_xmax(txid_current_snapshot())""";
    private final LastWrite lastWrite;

    public ProveQuietStep(LastWrite lastWrite) {
        this.lastWrite = lastWrite;
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public String run(OperationContext context) throws Exception {
        var blue = context.blue();
        List<String> left = Fencer.awaitOnlyOurs(blue, context.sparedOnBlue(), SESSIONS_GONE, () -> true).left();
        if (!left.isEmpty()) {
            throw new StepFailure(left.size() + " session(s) other than ours still on blue " + SESSIONS_GONE.toSeconds()
                    + "s after the fence (a superuser's, which the daemon's role may not end?): " + String.join(", ", left));
        }
        List<String> missed = Fencer.missedBy(blue, context.fence(), context.deployment().fenceRoles());
        if (!missed.isEmpty()) {
            throw new StepFailure("role(s) " + missed + " can log in on blue and are not fenced (created or given LOGIN"
                    + " after the fence was planned)");
        }
        List<String> inFlight = blue.queryRow(IN_FLIGHT);
        long writers = Long.parseLong(inFlight.get(0));
        long prepared = Long.parseLong(inFlight.get(1));
        if (writers > 0 || prepared > 0) {
            throw new StepFailure("writes in flight on blue: " + writers + " open writer(s), " + prepared + " prepared transaction(s)");
        }
        String written = lastWrite.write(context, blue);
        List<String> captured = blue.queryRow(CAPTURE);
        Lsn finalLsn = Lsn.parse(captured.get(0));
        long nextXid = Long.parseLong(captured.get(1));
        context.finalPosition(finalLsn, nextXid);
        context.rememberAtEnd(new StepFact.BlueFinalPosition(finalLsn.text(), nextXid));
        return "blue is quiet at " + finalLsn.text() + " (next xid " + nextXid + ")" + written;
    }
}
