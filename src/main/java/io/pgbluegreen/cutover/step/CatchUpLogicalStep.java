package io.pgbluegreen.cutover.step;

import io.pgbluegreen.cutover.CutoverContext;
import io.pgbluegreen.cutover.Step;
import io.pgbluegreen.cutover.StepFailure;
import io.pgbluegreen.cutover.Waits;
import io.pgbluegreen.target.Lsn;

import java.time.Duration;

/**
 * Waits, up to the catch-up timeout, until green has applied everything up to blue's final position: the marker
 * row written after the fence is visible on green, and the slot's confirmed flush position has reached the final
 * position. Never trusts what was merely sent. Then checks that no table appeared on blue since the gate and every
 * published one is ready on green (a table added meanwhile was never judged).
 */
public final class CatchUpLogicalStep implements Step {
    static final String CONFIRMED = "SELECT confirmed_flush_lsn::text FROM pg_replication_slots WHERE slot_name = ?";
    static final String MARKER_ARRIVED = "SELECT count(*) FROM pgbg.cutover_marker WHERE operation_id = ?";

    @Override
    public String name() {
        return "catch_up";
    }

    @Override
    public String run(CutoverContext context) throws Exception {
        Lsn target = context.finalLsn();
        Lsn[] confirmed = {null};
        boolean[] marker = {false};
        boolean reached = Waits.until(context.thresholds().catchUpTimeout(), Duration.ofMillis(20), () -> {
            context.failIfStopping();
            marker[0] = marker[0] || context.green().queryLong(MARKER_ARRIVED, context.operation().id()) == 1;
            confirmed[0] = Lsn.parse(context.blue().queryString(CONFIRMED, context.deployment().slot()));
            return marker[0] && confirmed[0] != null && confirmed[0].bytes() >= target.bytes();
        });
        if (!reached) {
            throw new StepFailure("green did not catch up within the catch-up timeout of "
                    + context.thresholds().catchUpTimeout().toSeconds() + "s: marker " + (marker[0] ? "arrived" : "missing")
                    + ", slot confirmed " + (confirmed[0] == null ? "nothing" : confirmed[0].text()) + " of " + target.text());
        }
        if (!TablesStillCovered.signature(context.blue()).equals(context.tableSignature())) {
            TablesStillCovered.verify(context, context.subscriptionPublications());
        }
        return "marker applied on green, slot confirmed " + confirmed[0].text() + " >= " + target.text()
                + ", every published table ready on green";
    }
}
