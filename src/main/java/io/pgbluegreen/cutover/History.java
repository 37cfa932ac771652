package io.pgbluegreen.cutover;

import io.pgbluegreen.journal.JournalEntry;

import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * What the journal says about a deployment's latest cutover: the fence it applied (and whether it was undone),
 * which steps started, green's next transaction id once the cutover was done, and the subscription's
 * synchronous_commit the cutover replaced. Read from disk, so it holds after a restart too.
 */
public record History(String operationId, Fence fence, boolean fenceUndone, Set<String> stepsStarted,
                      Set<String> stepsFinished, Long greenNextXid,
                      String finalState, String reverseSubscription, String previousSynchronousCommit,
                      RollbackProgress lastRollback) {

    /** The step-data key under which a rollback journals its planned steps, in order, comma-separated. */
    public static final String ROLLBACK_PLAN = "rollback.plan";

    /**
     * The latest rollback of this cutover: the steps it planned, those that finished, how it ended (null: it never
     * ended, not even as interrupted). A retry after one that did not succeed continues it.
     */
    public record RollbackProgress(String operationId, List<String> plan, Set<String> finished, String finalState) {
        public boolean unfinished() {
            return !plan.isEmpty() && !"succeeded".equals(finalState);
        }

        /**
         * Carrying it on loses nothing: it fenced green before it stopped (green has taken no write since), or it
         * had given writes back to blue already and only pointing clients at blue was left.
         */
        public boolean safeToCarryOn() {
            return finished.contains("fence_green") || finished.contains("unfence_blue");
        }

        /** It drained and dropped the reverse replication: there is none left to roll back through. */
        public boolean reverseDropped() {
            return finished.contains("stop_reverse");
        }
    }

    /** The step-data key under which prepare_marker journals the subscription's synchronous_commit it replaced. */
    public static final String PREVIOUS_SYNCHRONOUS_COMMIT = "subscription.synchronous_commit";

    public static History latestCutover(List<JournalEntry> journal, String deployment) {
        String opId = null;
        for (JournalEntry e : journal) {
            if (deployment.equals(e.deployment()) && "operation-started".equals(e.event()) && "cutover".equals(e.detail())) {
                opId = e.operationId();
            }
        }
        if (opId == null) {
            return null;
        }
        Fence fence = null;
        boolean undone = false;
        Set<String> started = new HashSet<>();
        Set<String> finished = new HashSet<>();
        Long greenXid = null;
        String finalState = null;
        String reverse = null;
        String previousCommit = null;
        boolean afterCutover = false;
        String rollbackId = null;
        List<String> rollbackPlan = List.of();
        Set<String> rollbackFinished = new HashSet<>();
        String rollbackState = null;
        for (JournalEntry e : journal) {
            afterCutover = afterCutover || opId.equals(e.operationId());
            if (afterCutover && deployment.equals(e.deployment()) && "operation-started".equals(e.event())
                    && "rollback".equals(e.detail())) {
                rollbackId = e.operationId();
                rollbackPlan = List.of();
                rollbackFinished = new HashSet<>();
                rollbackState = null;
            } else if (rollbackId != null && rollbackId.equals(e.operationId())) {
                if ("step-data".equals(e.event()) && e.data() != null && e.data().containsKey(ROLLBACK_PLAN)) {
                    rollbackPlan = List.of(e.data().get(ROLLBACK_PLAN).split(","));
                } else if ("step-finished".equals(e.event())) {
                    rollbackFinished.add(e.step());
                } else if ("operation-finished".equals(e.event()) || "operation-interrupted".equals(e.event())) {
                    rollbackState = e.state();
                }
            }
            boolean ours = opId.equals(e.operationId());
            if (ours && "step-data".equals(e.event()) && "fence_blue".equals(e.step()) && e.data().containsKey("fence.roles")) {
                fence = Fence.fromData(e.data());
            } else if (ours && "step-data".equals(e.event()) && e.data() != null && e.data().containsKey("green_next_xid")) {
                greenXid = Long.parseLong(e.data().get("green_next_xid"));
            } else if (ours && "step-data".equals(e.event()) && e.data() != null && e.data().containsKey("reverse.subscription")) {
                reverse = e.data().get("reverse.subscription");
            } else if (ours && "step-data".equals(e.event()) && e.data() != null
                    && e.data().containsKey(PREVIOUS_SYNCHRONOUS_COMMIT)) {
                previousCommit = e.data().get(PREVIOUS_SYNCHRONOUS_COMMIT);
            } else if (ours && "step-started".equals(e.event())) {
                started.add(e.step());
            } else if (ours && "step-finished".equals(e.event())) {
                finished.add(e.step());
            } else if (ours && ("operation-finished".equals(e.event()) || "operation-interrupted".equals(e.event()))) {
                finalState = e.state();
            } else if ("fence-undone".equals(e.event()) && deployment.equals(e.deployment())
                    && (ours || fence != null)) {
                undone = true;
            }
        }
        RollbackProgress rollback = rollbackId == null ? null
                : new RollbackProgress(rollbackId, rollbackPlan, rollbackFinished, rollbackState);
        return new History(opId, fence, undone, started, finished, greenXid, finalState, reverse, previousCommit, rollback);
    }

    public boolean blueFenced() {
        return fence != null && !fenceUndone;
    }

    /**
     * The cutover switched the subscription to synchronous_commit = on, and neither a finished stop_subscription nor
     * an abort (which both set it back) followed: the cutover was cut off in between. (Setting it back is harmless
     * when a cut-off stop_subscription had done so already.)
     */
    public boolean subscriptionCommitLeftChanged() {
        return previousSynchronousCommit != null && !"aborted".equals(finalState)
                && !stepsFinished.contains("stop_subscription");
    }
}
