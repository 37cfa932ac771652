package io.pgbluegreen.mode.logical;

import io.pgbluegreen.journal.StepFact;
import io.pgbluegreen.postgres.Statements;
import io.pgbluegreen.operation.GreenBaseline;

import io.pgbluegreen.operation.OperationContext;
import io.pgbluegreen.operation.Step;
import io.pgbluegreen.operation.StepFailure;
import io.pgbluegreen.postgres.Waits;
import io.pgbluegreen.postgres.Lsn;

import java.time.Duration;

/**
 * Rollback with reverse replication: once green is fenced and no session on it holds a transaction id, waits (up to
 * the catch-up timeout) until blue's reverse subscription has confirmed green's final position.
 */
public final class ReverseCatchUpStep implements Step {
    /** This step's name in the journal and the API. */
    public static final String NAME = "reverse_catch_up";
    static final String FINAL = "SELECT pg_current_wal_insert_lsn()::text";
    private final String reverse;

    public ReverseCatchUpStep(String reverse) {
        this.reverse = reverse;
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public String run(OperationContext context) throws Exception {
        var green = context.green();
        if (!Waits.until(Duration.ofSeconds(10), Duration.ofMillis(20), () -> green.queryLong(Statements.WRITERS) == 0)) {
            throw new StepFailure("writes still in flight on fenced green after 10s");
        }
        Lsn target = Lsn.parse(green.queryString(FINAL));
        Lsn[] seen = {null};
        boolean reached = Waits.until(context.thresholds().catchUpTimeout(), Duration.ofMillis(20), () -> {
            seen[0] = Lsn.parse(green.queryString(Statements.SLOT_CONFIRMED_FLUSH, reverse));
            return seen[0] != null && seen[0].bytes() >= target.bytes();
        });
        if (!reached) {
            throw new StepFailure("blue confirmed only " + (seen[0] == null ? "nothing" : seen[0].text()) + " of green's "
                    + target.text() + " within the catch-up timeout; green stays fenced, blue too");
        }
        GreenBaseline.moveToNow(context, name());
        context.rememberAtEnd(new StepFact.ReverseCaughtUp());
        return "blue confirmed green's final position " + target.text();
    }
}
