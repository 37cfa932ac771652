package io.pgbluegreen.mode.logical;

import io.pgbluegreen.postgres.Statements;
import io.pgbluegreen.operation.OperationContext;
import io.pgbluegreen.operation.Step;
import io.pgbluegreen.operation.StepFailure;
import io.pgbluegreen.postgres.Waits;
import io.pgbluegreen.postgres.Lsn;

import java.time.Duration;

/**
 * Waits, up to the catch-up timeout, until green has applied everything up to blue's final position: the marker
 * row written after the fence is visible on green, and the slot's confirmed flush position has reached the final
 * position. Never trusts what was merely sent. Then checks that no table appeared on blue since the gate and every
 * published one is ready on green (a table added meanwhile was never judged).
 */
public final class CatchUpLogicalStep implements Step {
    /** This step's name in the journal and the API. */
    public static final String NAME = "catch_up";
    static final String MARKER_ARRIVED = "SELECT count(*) FROM pgbg.cutover_marker WHERE operation_id = ?";

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public String run(OperationContext context) throws Exception {
        Lsn target = context.finalLsn();
        Lsn[] confirmed = {null};
        boolean[] marker = {false};
        boolean reached = Waits.until(context.thresholds().catchUpTimeout(), Duration.ofMillis(20), () -> {
            context.failIfStopping();
            marker[0] = marker[0] || context.green().queryLong(MARKER_ARRIVED, context.operation().id()) == 1;
            confirmed[0] = Lsn.parse(context.blue().queryString(Statements.SLOT_CONFIRMED_FLUSH, context.deployment().slot()));
            return marker[0] && confirmed[0] != null && confirmed[0].bytes() >= target.bytes();
        });
        if (!reached) {
            throw new StepFailure("green did not catch up within the catch-up timeout of "
                    + context.thresholds().catchUpTimeout().toSeconds() + "s: marker " + (marker[0] ? "arrived" : "missing")
                    + ", slot confirmed " + (confirmed[0] == null ? "nothing" : confirmed[0].text()) + " of " + target.text());
        }
        if (!TablesStillCovered.signature(context.blue()).equals(context.state(LogicalState.class).tableSignature())) {
            TablesStillCovered.verify(context, context.state(LogicalState.class).subscriptionPublications());
        }
        return "marker applied on green, slot confirmed " + confirmed[0].text() + " >= " + target.text()
                + ", every published table ready on green";
    }
}
