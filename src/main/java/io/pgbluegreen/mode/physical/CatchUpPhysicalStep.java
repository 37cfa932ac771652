package io.pgbluegreen.mode.physical;

import io.pgbluegreen.fence.Fencer;
import io.pgbluegreen.operation.OperationContext;
import io.pgbluegreen.operation.Step;
import io.pgbluegreen.operation.StepFailure;
import io.pgbluegreen.postgres.Waits;
import io.pgbluegreen.postgres.Lsn;

import java.time.Duration;
import java.util.List;

/**
 * Waits, up to the catch-up timeout, until green has replayed (not merely received) blue's final position. Then ends
 * the sessions on the standby (they could only read so far, but could write once it is promoted, before the baseline
 * a rollback relies on); nobody but the daemon can log in again, the fence's NOLOGIN has reached green through WAL.
 * Still before the point of no return: a session that will not go aborts the cutover.
 */
public final class CatchUpPhysicalStep implements Step {
    /** This step's name in the journal and the API. */
    public static final String NAME = "catch_up";
    static final String REPLAYED = "SELECT pg_last_wal_replay_lsn()::text";

    private static final Duration SESSIONS_GONE = Duration.ofSeconds(10);

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public String run(OperationContext context) throws Exception {
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
        String ended = endStandbySessions(context);
        return "green replayed " + seen[0].text() + " >= " + target.text() + ended;
    }

    private static String endStandbySessions(OperationContext context) throws Exception {
        var green = context.green();
        List<String> ended = Fencer.endSessions(green, Fencer.Spared.NOTHING);
        List<String> left = Fencer.awaitOnlyOurs(green, Fencer.Spared.NOTHING, SESSIONS_GONE, () -> {
            context.failIfStopping();
            return true;
        }).left();
        if (!left.isEmpty()) {
            throw new StepFailure("session(s) on green that could write once it is promoted would not end: "
                    + String.join(", ", left));
        }
        return ended.isEmpty() ? "" : ", ended " + ended.size() + " session(s) on the standby";
    }
}
