package io.pgbluegreen.cutover;

import io.pgbluegreen.config.DeploymentMode;
import io.pgbluegreen.cutover.step.AuditGreenStep;
import io.pgbluegreen.cutover.step.FenceGreenStep;
import io.pgbluegreen.cutover.step.PausePgBouncerStep;
import io.pgbluegreen.cutover.step.PointPgBouncerAtBlueStep;
import io.pgbluegreen.cutover.step.PromoteStep;
import io.pgbluegreen.cutover.step.ProveQuietStep;
import io.pgbluegreen.cutover.step.RestoreSubscriptionCommitStep;
import io.pgbluegreen.cutover.step.ResumeSubscriptionStep;
import io.pgbluegreen.cutover.step.ReverseCatchUpStep;
import io.pgbluegreen.cutover.step.StopReverseStep;
import io.pgbluegreen.cutover.step.SyncSequencesStep;
import io.pgbluegreen.cutover.step.UnfenceBlueStep;
import io.pgbluegreen.cutover.step.UnfenceGreenStep;

import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

/**
 * Decides whether and how blue can take over again after the latest cutover, from the journal (so it works after
 * a restart). Before the point of no return it only gives back what the cutover changed. After it, green is fenced
 * first and only then audited (no write can slip in after the reading): if it took writes that nothing carries back
 * to blue, the rollback is refused and green unfenced again. Everything that can be known before fencing green is
 * checked before, so that a refusal changes nothing: green's writes so far, and whether the way back works.
 */
public final class Rollback {
    /** Steps to run, or a refusal; the summary and next actions say how it ends when all steps succeed. */
    public record Plan(List<Step> steps, String refusal, String summary, List<String> nextActions) {
        static Plan refuse(String reason) {
            return new Plan(List.of(), reason, null, List.of());
        }
    }

    static final String SUBSCRIPTION_ENABLED = "SELECT subenabled FROM pg_subscription WHERE subname = ?";

    private Rollback() {
    }

    /** The first steps: all of them, or up to audit_green, after which {@link #afterAudit} decides the rest. */
    public static Plan plan(CutoverContext context, History history) throws SQLException {
        String name = context.deployment().name();
        if (history == null) {
            return Plan.refuse("no cutover of " + name + " in the journal: nothing to roll back");
        }
        History.RollbackProgress previous = history.lastRollback();
        if (previous != null && previous.unfinished() && previous.blueAlreadyUnfenced()) {
            return continued(context, history);
        }
        if (!history.blueFenced()) {
            return unfenced(context, history);
        }
        Runbook runbook = Runbook.of(context.deployment().deploymentMode());
        if (!history.stepsStarted().contains(runbook.pointOfNoReturn())) {
            return beforePointOfNoReturn(context, history);
        }
        if (history.greenBaseline() == null) {
            return Plan.refuse("the cutover " + history.operationId() + " passed " + runbook.pointOfNoReturn()
                    + " but did not record green's baseline, so it cannot be proven that green took no writes;"
                    + " blue stays fenced: decide by hand");
        }
        // read-only, before anything changes: the answer after the fence can only be "more writes"
        XidAudit.Finding writes = greenWrites(context, history);
        if (!writes.clean()) {
            String refusal = refusalForWrites(context, history, writes);
            if (refusal != null) {
                return Plan.refuse(refusal);
            }
        }
        List<Step> steps = new ArrayList<>();
        if (context.pgbouncer() != null) {
            steps.add(new PausePgBouncerStep());
        }
        steps.add(new FenceGreenStep(context.deployment().fenceRoles(), history.reverseSubscription(),
                history.openGreenFence()));
        steps.add(new AuditGreenStep(history.greenBaseline(), history.greenBaselineRunning(), history.ownGreenXids(),
                history.reverseSubscription()));
        return new Plan(steps, null, null, List.of());
    }

    /** After audit_green: what follows, or a refusal (then the caller undoes green's fence). */
    public static Plan afterAudit(CutoverContext context, History history, boolean greenWrote) throws SQLException {
        boolean logical = logical(context);
        List<Step> steps = new ArrayList<>();
        String summary;
        if (greenWrote) {
            String refusal = refusalForWrites(context, history, null);
            if (refusal != null) {
                return Plan.refuse(refusal);
            }
            // reverse replication carried green's writes to blue: let blue catch up, then swap back; green stays fenced
            steps.add(new ReverseCatchUpStep(history.reverseSubscription()));
            steps.add(new SyncSequencesStep(true));
            steps.add(new StopReverseStep(history.reverseSubscription()));
            steps.add(new UnfenceBlueStep(history.fence()));
            summary = "blue has everything green took and is unfenced: blue is the primary again; green stays fenced";
        } else if (!logical) {
            steps.add(new UnfenceBlueStep(history.fence()));
            summary = "green fenced (it took no writes) and blue unfenced: blue is the primary again";
        } else if (history.reverseCaughtUp()) {
            // an earlier rollback had carried green's writes to blue already: the forward subscription must not resume
            steps.add(new SyncSequencesStep(true));
            if (history.reverseSubscription() != null) {
                steps.add(new StopReverseStep(history.reverseSubscription()));
            }
            steps.add(new UnfenceBlueStep(history.fence()));
            summary = "blue has everything green took (an earlier rollback carried it) and is unfenced; green stays fenced";
        } else {
            givenBack(steps, history);
            steps.add(new UnfenceBlueStep(history.fence()));
            steps.add(new UnfenceGreenStep(context.greenFence()));
            summary = "green took no writes: blue is the primary again and green follows it as before the cutover";
        }
        pointClientsAtBlue(context, steps);
        List<String> next = new ArrayList<>(List.of("point clients back at blue: " + context.deployment().blue()));
        if (!logical) {
            next.add("green is a fenced former standby: rebuild it from blue (pg_basebackup or pg_rewind) before another cutover");
        }
        return new Plan(steps, null, summary, next);
    }

    /** Null when green's writes can go back to blue (logical, reverse replication working); else why not. */
    private static String refusalForWrites(CutoverContext context, History history, XidAudit.Finding writes)
            throws SQLException {
        String what = "green took writes since the cutover" + (writes == null ? "" : " (" + writes.summary() + ")")
                + ": going back to blue would lose them";
        if (!logical(context) || history.reverseSubscription() == null) {
            return what + " (no reverse replication is set up); blue stays fenced, green stays the primary";
        }
        if (!history.reverseUsable()) {
            return what + " (an earlier rollback already dropped the reverse replication; decide by hand)";
        }
        String problem = ReversePathCheck.problem(context.blue(), context.green(), context.greenTarget(), context.sampling(),
                history.reverseSubscription());
        return problem == null ? null : what + " unless they go back through reverse replication, which does not work: "
                + problem + "; nothing was changed";
    }

    private static XidAudit.Finding greenWrites(CutoverContext context, History history) throws SQLException {
        long next = context.green().queryLong(ProveQuietStep.NEXT_XID);
        return XidAudit.auditOpen(context.green(), history.greenBaseline(), next, history.ownGreenXids(),
                history.greenBaselineRunning());
    }

    /**
     * Cut off before the point of no return: green never took over through this cutover; give back what it changed.
     * Green is looked at first all the same: promoted (or its subscription stopped) by someone else meanwhile, another
     * daemon for instance, unfencing blue would make two primaries.
     */
    private static Plan beforePointOfNoReturn(CutoverContext context, History history) throws SQLException {
        String tookOver = greenTookOver(context, history);
        if (tookOver != null) {
            return Plan.refuse("the cutover " + history.operationId() + " never reached its point of no return, but "
                    + tookOver + ": blue stays fenced, decide by hand");
        }
        List<Step> steps = new ArrayList<>();
        givenBack(steps, history);
        steps.add(new UnfenceBlueStep(history.fence()));
        pointClientsAtBlue(context, steps);
        return new Plan(steps, null, "blue unfenced before the point of no return: blue is the primary again",
                List.of("point clients back at blue: " + context.deployment().blue()));
    }

    /** Why green looks like the primary already (null: it does not). */
    private static String greenTookOver(CutoverContext context, History history) throws SQLException {
        if (!logical(context)) {
            return context.green().queryBoolean(PromoteStep.IN_RECOVERY) ? null : "green is not in recovery (promoted)";
        }
        List<String> subscription = context.green().queryRow(SUBSCRIPTION_ENABLED, context.deployment().subscription());
        if (subscription == null) {
            return "green has no subscription " + context.deployment().subscription() + " any more";
        }
        boolean stopped = history.stepsStarted().contains("stop_subscription");
        return stopped || "t".equals(subscription.get(0)) ? null
                : "green's subscription " + context.deployment().subscription() + " was disabled outside this cutover";
    }

    /** Logical: the subscription's commit setting, the reverse replication, the forward subscription as they were. */
    private static void givenBack(List<Step> steps, History history) {
        if (history.subscriptionCommitLeftChanged()) {
            steps.add(new RestoreSubscriptionCommitStep(history.previousSynchronousCommit()));
        }
        if (history.reverseSubscription() != null) {
            steps.add(new StopReverseStep(history.reverseSubscription()));
        }
        if (history.stepsStarted().contains("stop_subscription")) {
            steps.add(new ResumeSubscriptionStep());
        }
    }

    private static void pointClientsAtBlue(CutoverContext context, List<Step> steps) {
        if (context.pgbouncer() != null) {
            steps.add(new PointPgBouncerAtBlueStep());
        }
    }

    private static boolean logical(CutoverContext context) {
        return context.deployment().deploymentMode() == DeploymentMode.LOGICAL;
    }

    /** The previous rollback unfenced blue but did not finish: only what it had left is done. */
    private static Plan continued(CutoverContext context, History history) {
        History.RollbackProgress previous = history.lastRollback();
        List<Step> steps = new ArrayList<>();
        for (String name : previous.plan()) {
            if (!previous.finished().contains(name)) {
                Step step = remaining(name, history);
                if (step == null) {
                    return Plan.refuse("rollback " + previous.operationId() + " left step " + name
                            + " undone, which cannot be carried on after blue was unfenced: finish it by hand");
                }
                steps.add(step);
            }
        }
        return new Plan(steps, null, "rollback " + previous.operationId() + " carried on from where it stopped ("
                + String.join(", ", previous.finished()) + " had finished): blue is the primary again",
                List.of("point clients back at blue: " + context.deployment().blue()));
    }

    /** What may follow unfence_blue in a rollback, rebuilt by its journaled name. */
    private static Step remaining(String name, History history) {
        return switch (name) {
            case "point_pgbouncer_at_blue" -> new PointPgBouncerAtBlueStep();
            case "unfence_green" -> history.lastGreenFence() == null ? null : new UnfenceGreenStep(history.lastGreenFence());
            default -> null;
        };
    }

    /** Cut off before blue was fenced: only what the cutover changed on the way there needs giving back. */
    private static Plan unfenced(CutoverContext context, History history) {
        List<Step> steps = new ArrayList<>();
        List<String> done = new ArrayList<>();
        if (history.subscriptionCommitLeftChanged()) {
            steps.add(new RestoreSubscriptionCommitStep(history.previousSynchronousCommit()));
            done.add("the subscription's synchronous_commit is '" + history.previousSynchronousCommit() + "' again");
        }
        if (context.pgbouncer() != null && history.stepsStarted().contains("fence_blue") && !history.fenceUndone()) {
            // stopped after PAUSE but before the fence was planned
            steps.add(new PointPgBouncerAtBlueStep());
            done.add("PgBouncer points at blue and is resumed");
        }
        if (steps.isEmpty()) {
            return Plan.refuse("blue is not fenced by the latest cutover of " + context.deployment().name() + " ("
                    + history.operationId() + "): nothing to roll back");
        }
        return new Plan(steps, null, String.join("; ", done) + "; blue was never fenced", List.of());
    }
}
