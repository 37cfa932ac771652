package io.pgbluegreen.operation;

import io.pgbluegreen.fence.Fence;

import io.pgbluegreen.journal.JournalEntry;
import io.pgbluegreen.journal.JournalEvent;
import io.pgbluegreen.journal.StepFact;

import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * What the journal says about a deployment's latest cutover and the rollbacks that followed it: the fence it
 * applied (and whether it was undone), which steps started and finished, green's baseline transaction id (the first
 * one after our own last write on green before clients could reach it; a rollback that had carried green's writes to
 * blue before it failed moves it on), the transaction ids our own rollback steps used on green since (never a
 * client's write), the subscription's synchronous_commit the cutover replaced. Read from disk, so it holds after a
 * restart too; built in one pass over the entries' events and typed facts (earlier versions' journals included).
 */
public record History(String operationId, Fence fence, boolean fenceUndone, Set<String> stepsStarted,
                      Set<String> stepsFinished, Long greenBaseline, List<Long> greenBaselineRunning,
                      Set<Long> ownGreenXids,
                      String finalState, String reverseSubscription, String previousSynchronousCommit,
                      boolean subscriptionCommitRestored,
                      boolean reverseCaughtUp, boolean reverseDropped, RollbackProgress lastRollback,
                      Fence lastGreenFence, boolean greenFenceUndone) {

    /**
     * The latest rollback of this cutover: the steps it planned, those that finished, how it ended (null: it never
     * ended, not even as interrupted).
     */
    public record RollbackProgress(String operationId, List<String> plan, Set<String> finished, String finalState) {
        public boolean unfinished() {
            return !plan.isEmpty() && !OperationState.SUCCEEDED.label().equals(finalState);
        }
    }

    public static History latestCutover(List<JournalEntry> journal, String deployment) {
        String opId = null;
        for (JournalEntry e : journal) {
            if (deployment.equals(e.deployment()) && startsA(OperationKind.CUTOVER, e)) {
                opId = e.operationId();
            }
        }
        if (opId == null) {
            return null;
        }
        Builder b = new Builder(opId);
        boolean afterCutover = false;
        for (JournalEntry e : journal) {
            afterCutover = afterCutover || opId.equals(e.operationId());
            if (afterCutover && deployment.equals(e.deployment())) {
                b.read(e);
            }
        }
        return b.build();
    }

    /** The operation-started entry of an operation of that kind (its kind is the entry's detail). */
    private static boolean startsA(OperationKind kind, JournalEntry e) {
        return e.event() == JournalEvent.OPERATION_STARTED && kind.label().equals(e.detail());
    }

    /** One pass over the cutover's entries and those of the rollbacks after it. */
    private static final class Builder {
        private final String opId;
        private Fence fence;
        /** The step that fenced green: a fence-undone entry names the step whose fence it took back. */
        private String greenFenceStep;
        private boolean undone;
        private final Set<String> started = new HashSet<>();
        private final Set<String> finished = new HashSet<>();
        private Long baseline;
        private List<Long> baselineRunning = List.of();
        private final Set<Long> ownGreenXids = new HashSet<>();
        private String finalState;
        private String reverse;
        private String previousCommit;
        private boolean commitRestored;
        private boolean reverseCaughtUp;
        private boolean reverseDropped;
        private String rollbackId;
        private List<String> rollbackPlan = List.of();
        private Set<String> rollbackFinished = new HashSet<>();
        private String rollbackState;
        private Fence greenFence;
        private boolean greenUndone;

        Builder(String opId) {
            this.opId = opId;
        }

        void read(JournalEntry e) {
            if (startsA(OperationKind.ROLLBACK, e)) {
                rollbackId = e.operationId();
                rollbackPlan = List.of();
                rollbackFinished = new HashSet<>();
                rollbackState = null;
            } else if (opId.equals(e.operationId())) {
                readCutover(e);
            } else if (e.operationId().equals(rollbackId)) {
                readRollback(e);
            }
        }

        private void readCutover(JournalEntry e) {
            switch (e.event()) {
                case STEP_STARTED -> started.add(e.step());
                case STEP_FINISHED -> finished.add(e.step());
                case OPERATION_FINISHED, OPERATION_INTERRUPTED -> finalState = e.state();
                case FENCE_UNDONE -> undone = true;
                default -> {
                }
            }
            for (StepFact fact : e.readFacts()) {
                readCutoverFact(fact);
            }
        }

        /** Facts of the cutover itself: a fence there is blue's. */
        private void readCutoverFact(StepFact fact) {
            if (fact instanceof StepFact.FenceApplied applied) {
                fence = Fence.of(applied);
            } else if (fact instanceof StepFact.GreenBaselineTaken taken) {
                baseline(taken);
            } else if (fact instanceof StepFact.ReverseSetUp setUp) {
                reverse = setUp.subscription();
            } else if (fact instanceof StepFact.SynchronousCommitReplaced replaced) {
                previousCommit = replaced.previous();
            } else if (fact instanceof StepFact.SynchronousCommitRestored) {
                commitRestored = true;
            }
        }

        private void readRollback(JournalEntry e) {
            switch (e.event()) {
                case STEP_FINISHED -> rollbackFinished.add(e.step());
                case OPERATION_FINISHED, OPERATION_INTERRUPTED -> rollbackState = e.state();
                // blue's fence undone by a rollback (unfence_blue), or green's own (unfence_green)
                case FENCE_UNDONE -> {
                    if (e.step() != null && e.step().equals(greenFenceStep)) {
                        greenUndone = true;
                    } else {
                        undone = true;
                    }
                }
                default -> {
                }
            }
            for (StepFact fact : e.readFacts()) {
                readRollbackFact(e.step(), fact);
            }
        }

        /** Facts of a rollback: a fence there is green's. */
        private void readRollbackFact(String step, StepFact fact) {
            if (fact instanceof StepFact.FenceApplied applied) {
                greenFence = Fence.of(applied);
                greenFenceStep = step;
                greenUndone = false;
            } else if (fact instanceof StepFact.RollbackPlanned planned) {
                rollbackPlan = List.copyOf(planned.steps());
            } else if (fact instanceof StepFact.OwnGreenXid own) {
                ownGreenXids.add(own.xid());
            } else if (fact instanceof StepFact.GreenBaselineTaken taken) {
                baseline(taken);
            } else if (fact instanceof StepFact.ReverseCaughtUp) {
                reverseCaughtUp = true;
            } else if (fact instanceof StepFact.ReverseDropped) {
                reverseDropped = true;
            }
        }

        private void baseline(StepFact.GreenBaselineTaken taken) {
            baseline = taken.xid();
            baselineRunning = List.copyOf(taken.running());
        }

        History build() {
            RollbackProgress rollback = rollbackId == null ? null
                    : new RollbackProgress(rollbackId, rollbackPlan, rollbackFinished, rollbackState);
            return new History(opId, fence, undone, started, finished, baseline, baselineRunning, Set.copyOf(ownGreenXids),
                    finalState, reverse, previousCommit, commitRestored, reverseCaughtUp, reverseDropped, rollback,
                    greenFence, greenUndone);
        }
    }

    public boolean blueFenced() {
        return fence != null && !fenceUndone;
    }

    /**
     * The cutover switched the subscription to synchronous_commit = on, and neither a finished stop_subscription
     * (which journals {@link StepFact.SynchronousCommitRestored} with its end) nor an abort (which both set it back) followed: the cutover was cut off in between. (Setting it back is harmless
     * when a cut-off stop_subscription had done so already.)
     */
    public boolean subscriptionCommitLeftChanged() {
        return previousSynchronousCommit != null && !OperationState.ABORTED.label().equals(finalState)
                && !subscriptionCommitRestored;
    }

    /** A rollback's fence on green that was never undone (that rollback was cut off): null when there is none. */
    public Fence openGreenFence() {
        return lastGreenFence != null && !greenFenceUndone ? lastGreenFence : null;
    }

    /** Reverse replication exists and was never dropped: green's writes can still reach blue through it. */
    public boolean reverseUsable() {
        return reverseSubscription != null && !reverseDropped;
    }
}
