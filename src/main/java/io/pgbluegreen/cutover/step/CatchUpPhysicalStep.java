package io.pgbluegreen.cutover.step;

import io.pgbluegreen.cutover.CutoverContext;
import io.pgbluegreen.cutover.Step;
import io.pgbluegreen.cutover.StepFailure;
import io.pgbluegreen.cutover.Waits;
import io.pgbluegreen.target.Lsn;

import java.time.Duration;

/** Waits, up to the catch-up timeout, until green has replayed (not merely received) blue's final position. */
public final class CatchUpPhysicalStep implements Step {
    static final String REPLAYED = "SELECT pg_last_wal_replay_lsn()::text";

    @Override
    public String name() {
        return "catch_up";
    }

    @Override
    public String run(CutoverContext context) throws Exception {
        Lsn target = context.finalLsn();
        Lsn[] seen = {null};
        boolean reached = Waits.until(context.thresholds().catchUpTimeout(), Duration.ofMillis(20), () -> {
            context.failIfStopping();
            seen[0] = Lsn.parse(context.green().queryString(REPLAYED));
            return seen[0] != null && seen[0].bytes() >= target.bytes();
        });
        if (!reached) {
            throw new StepFailure("green replayed only " + (seen[0] == null ? "nothing" : seen[0].text()) + " of "
                    + target.text() + " within the catch-up timeout of " + context.thresholds().catchUpTimeout().toSeconds() + "s");
        }
        return "green replayed " + seen[0].text() + " >= " + target.text();
    }
}
