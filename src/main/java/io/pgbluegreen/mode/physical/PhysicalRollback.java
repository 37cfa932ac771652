package io.pgbluegreen.mode.physical;

import io.pgbluegreen.fence.Fence;
import io.pgbluegreen.operation.History;
import io.pgbluegreen.operation.Step;
import io.pgbluegreen.rollback.ModeRollback;
import io.pgbluegreen.rollback.RollbackPlan;
import io.pgbluegreen.rollback.RollbackReads;
import io.pgbluegreen.rollback.UnfenceBlueStep;

import java.sql.SQLException;
import java.util.List;

/**
 * A physical rollback: nothing carries a promoted green's writes back, so any write refuses it; without writes, blue
 * is unfenced and green stays a fenced former standby, to be rebuilt from blue.
 */
final class PhysicalRollback {
    private PhysicalRollback() {
    }

    static String greenTookOver(RollbackReads reads) throws SQLException {
        return reads.greenInRecovery() ? null : "green is not in recovery (promoted)";
    }

    static String refusalForWrites(String what) {
        return what + " (no reverse replication is set up); blue stays fenced, green stays the primary";
    }

    static RollbackPlan afterAudit(History history, boolean greenWrote) {
        if (greenWrote) {
            return RollbackPlan.refuse(io.pgbluegreen.operation.Refusal.Cause.UNSAFE, refusalForWrites(
                    "green took writes since the cutover: going back to blue would lose them"));
        }
        List<Step> steps = List.of(new UnfenceBlueStep(history.fence()));
        return RollbackPlan.of(steps, "green fenced (it took no writes) and blue unfenced: blue is the primary again",
                List.of("green is a fenced former standby: rebuild it from blue (pg_basebackup or pg_rewind) before"
                        + " another cutover"));
    }

    static ModeRollback.GivenBack givenBackBeforeFence() {
        return null;
    }
}
