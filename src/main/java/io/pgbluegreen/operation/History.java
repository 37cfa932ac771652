package io.pgbluegreen.operation;

import io.pgbluegreen.fence.Fence;

import io.pgbluegreen.journal.JournalEntry;

import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What the journal says about a deployment's latest cutover and the rollbacks that followed it: the fence it
 * applied (and whether it was undone), which steps started and finished, green's baseline transaction id (the first
 * one after our own last write on green before clients could reach it; a rollback that had carried green's writes to
 * blue before it failed moves it on), the transaction ids our own rollback steps used on green since (never a
 * client's write), the subscription's synchronous_commit the cutover replaced. Read from disk, so it holds after a
 * restart too.
 */
public record History(String operationId, Fence fence, boolean fenceUndone, Set<String> stepsStarted,
                      Set<String> stepsFinished, Long greenBaseline, List<Long> greenBaselineRunning,
                      Set<Long> ownGreenXids,
                      String finalState, String reverseSubscription, String previousSynchronousCommit,
                      boolean reverseCaughtUp, boolean reverseDropped, RollbackProgress lastRollback,
                      Fence lastGreenFence, boolean greenFenceUndone) {

    /** The step-data key under which a rollback journals its planned steps, in order, comma-separated. */
    public static final String ROLLBACK_PLAN = "rollback.plan";
    /** The step-data key of a transaction id one of our own steps used on green. */
    public static final String GREEN_OWN_XID = "green_own_xid";
    /** Journals of earlier versions: post_checks journaled green's next transaction id (after PgBouncer resumed). */
    static final String LEGACY_GREEN_BASELINE = "green_next_xid";
    /** The step-data key under which prepare_marker journals the subscription's synchronous_commit it replaced. */
    public static final String PREVIOUS_SYNCHRONOUS_COMMIT = "subscription.synchronous_commit";
    static final String FENCE_UNDONE = "fence-undone";

    /**
     * The latest rollback of this cutover: the steps it planned, those that finished, how it ended (null: it never
     * ended, not even as interrupted).
     */
    public record RollbackProgress(String operationId, List<String> plan, Set<String> finished, String finalState) {
        public boolean unfinished() {
            return !plan.isEmpty() && !"succeeded".equals(finalState);
        }

        /** It gave writes back to blue already: only pointing clients at blue was left, so it is carried on. */
        public boolean blueAlreadyUnfenced() {
            return finished.contains("unfence_blue");
        }
    }

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

    /** One pass over the cutover's entries and those of the rollbacks after it. */
    private static final class Builder {
        private final String opId;
        private Fence fence;
        private boolean undone;
        private final Set<String> started = new HashSet<>();
        private final Set<String> finished = new HashSet<>();
        private Long baseline;
        private List<Long> baselineRunning = List.of();
        private final Set<Long> ownGreenXids = new HashSet<>();
        private String finalState;
        private String reverse;
        private String previousCommit;
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
            if ("operation-started".equals(e.event()) && "rollback".equals(e.detail())) {
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
            Map<String, String> data = e.data();
            switch (e.event()) {
                case "step-data" -> readCutoverData(e.step(), data);
                case "step-started" -> started.add(e.step());
                case "step-finished" -> {
                    finished.add(e.step());
                    if (data != null) {
                        readCutoverData(e.step(), data);
                    }
                }
                case "operation-finished", "operation-interrupted" -> finalState = e.state();
                case FENCE_UNDONE -> undone = true;
                default -> {
                }
            }
        }

        private void readCutoverData(String step, Map<String, String> data) {
            if ("fence_blue".equals(step) && Fence.isFenceData(data)) {
                fence = Fence.fromData(data);
            }
            if (data.containsKey(GreenBaseline.KEY) || data.containsKey(LEGACY_GREEN_BASELINE)) {
                baseline = Long.parseLong(data.getOrDefault(GreenBaseline.KEY, data.get(LEGACY_GREEN_BASELINE)));
                baselineRunning = running(data);
            }
            reverse = data.getOrDefault("reverse.subscription", reverse);
            previousCommit = data.getOrDefault(PREVIOUS_SYNCHRONOUS_COMMIT, previousCommit);
        }

        private void readRollback(JournalEntry e) {
            Map<String, String> data = e.data();
            switch (e.event()) {
                case "step-data" -> {
                    if ("fence_green".equals(e.step()) && Fence.isFenceData(data)) {
                        greenFence = Fence.fromData(data);
                        greenUndone = false;
                    }
                    if (data.containsKey(ROLLBACK_PLAN)) {
                        rollbackPlan = List.of(data.get(ROLLBACK_PLAN).split(","));
                    }
                    if (data.containsKey(GREEN_OWN_XID)) {
                        ownGreenXids.add(Long.parseLong(data.get(GREEN_OWN_XID)));
                    }
                    if (data.containsKey(GreenBaseline.KEY)) {
                        baseline = Long.parseLong(data.get(GreenBaseline.KEY));
                        baselineRunning = running(data);
                    }
                }
                case "step-finished" -> {
                    rollbackFinished.add(e.step());
                    reverseCaughtUp |= "reverse_catch_up".equals(e.step());
                    reverseDropped |= "stop_reverse".equals(e.step());
                }
                case "operation-finished", "operation-interrupted" -> rollbackState = e.state();
                // blue's fence undone by a rollback (unfence_blue); green's has a step of its own
                case FENCE_UNDONE -> {
                    if ("fence_green".equals(e.step())) {
                        greenUndone = true;
                    } else {
                        undone = true;
                    }
                }
                default -> {
                }
            }
        }

        private static List<Long> running(Map<String, String> data) {
            String text = data.getOrDefault(GreenBaseline.RUNNING_KEY, "");
            return text.isEmpty() ? List.of() : java.util.Arrays.stream(text.split(",")).map(Long::valueOf).toList();
        }

        History build() {
            RollbackProgress rollback = rollbackId == null ? null
                    : new RollbackProgress(rollbackId, rollbackPlan, rollbackFinished, rollbackState);
            return new History(opId, fence, undone, started, finished, baseline, baselineRunning, Set.copyOf(ownGreenXids), finalState,
                    reverse, previousCommit, reverseCaughtUp, reverseDropped, rollback, greenFence, greenUndone);
        }
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

    /** A rollback's fence on green that was never undone (that rollback was cut off): null when there is none. */
    public Fence openGreenFence() {
        return lastGreenFence != null && !greenFenceUndone ? lastGreenFence : null;
    }

    /** Reverse replication exists and was never dropped: green's writes can still reach blue through it. */
    public boolean reverseUsable() {
        return reverseSubscription != null && !reverseDropped;
    }
}
