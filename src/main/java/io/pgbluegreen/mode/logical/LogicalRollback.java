package io.pgbluegreen.mode.logical;

import io.pgbluegreen.fence.Fence;
import io.pgbluegreen.operation.History;
import io.pgbluegreen.operation.Refusal;
import io.pgbluegreen.operation.Step;
import io.pgbluegreen.rollback.ModeRollback;
import io.pgbluegreen.rollback.RollbackPlan;
import io.pgbluegreen.rollback.RollbackReads;
import io.pgbluegreen.rollback.UnfenceBlueStep;
import io.pgbluegreen.rollback.UnfenceGreenStep;

import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

/**
 * A logical rollback: green's writes go back to blue through reverse replication when it was set up and works (then
 * green stays fenced); without writes, the forward subscription resumes and green follows blue as before.
 */
final class LogicalRollback {
    private LogicalRollback() {
    }

    /** Green's subscription disabled (or gone) outside this cutover would mean green took over by other hands. */
    static String greenTookOver(History history, RollbackReads reads, String subscription) throws SQLException {
        Boolean enabled = reads.subscriptionEnabled(subscription);
        if (enabled == null) {
            return "green has no subscription " + subscription + " any more";
        }
        boolean stopped = history.stepsStarted().contains(StopSubscriptionStep.NAME);
        return stopped || enabled ? null : "green's subscription " + subscription + " was disabled outside this cutover";
    }

    /** The subscription's commit setting, the reverse replication, the forward subscription as they were. */
    static List<Step> givenBack(History history) {
        List<Step> steps = new ArrayList<>();
        if (history.subscriptionCommitLeftChanged()) {
            steps.add(new RestoreSubscriptionCommitStep(history.previousSynchronousCommit()));
        }
        if (history.reverseSubscription() != null) {
            steps.add(new StopReverseStep(history.reverseSubscription()));
        }
        if (history.stepsStarted().contains(StopSubscriptionStep.NAME)) {
            steps.add(new ResumeSubscriptionStep());
        }
        return steps;
    }

    static ModeRollback.GivenBack givenBackBeforeFence(History history) {
        if (!history.subscriptionCommitLeftChanged()) {
            return null;
        }
        return new ModeRollback.GivenBack(List.of(new RestoreSubscriptionCommitStep(history.previousSynchronousCommit())),
                "the subscription's synchronous_commit is '" + history.previousSynchronousCommit() + "' again");
    }

    static String refusalForWrites(History history, RollbackReads reads, String what) throws SQLException {
        if (history.reverseSubscription() == null) {
            return what + " (no reverse replication is set up); blue stays fenced, green stays the primary";
        }
        if (!history.reverseUsable()) {
            return what + " (an earlier rollback already dropped the reverse replication; decide by hand)";
        }
        String problem = reads.reversePathProblem(history.reverseSubscription());
        return problem == null ? null : what + " unless they go back through reverse replication, which does not work: "
                + problem + "; nothing was changed";
    }

    static RollbackPlan afterAudit(History history, RollbackReads reads, boolean greenWrote, Fence greenFence)
            throws SQLException {
        List<Step> steps = new ArrayList<>();
        String summary;
        if (greenWrote) {
            String refusal = refusalForWrites(history, reads,
                    "green took writes since the cutover: going back to blue would lose them");
            if (refusal != null) {
                return RollbackPlan.refuse(Refusal.Cause.UNSAFE, refusal);
            }
            // reverse replication carried green's writes to blue: let blue catch up, then swap back; green stays fenced
            steps.add(new ReverseCatchUpStep(history.reverseSubscription()));
            steps.add(new SyncSequencesStep(true));
            steps.add(new StopReverseStep(history.reverseSubscription()));
            steps.add(new UnfenceBlueStep(history.fence()));
            summary = "blue has everything green took and is unfenced: blue is the primary again; green stays fenced";
        } else if (history.reverseCaughtUp()) {
            // an earlier rollback had carried green's writes to blue already: the forward subscription must not resume
            steps.add(new SyncSequencesStep(true));
            if (history.reverseSubscription() != null) {
                steps.add(new StopReverseStep(history.reverseSubscription()));
            }
            steps.add(new UnfenceBlueStep(history.fence()));
            summary = "blue has everything green took (an earlier rollback carried it) and is unfenced; green stays fenced";
        } else {
            steps.addAll(givenBack(history));
            steps.add(new UnfenceBlueStep(history.fence()));
            steps.add(new UnfenceGreenStep(greenFence));
            summary = "green took no writes: blue is the primary again and green follows it as before the cutover";
        }
        return RollbackPlan.of(steps, summary, List.of());
    }
}
