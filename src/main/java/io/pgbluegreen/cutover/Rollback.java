package io.pgbluegreen.cutover;

import io.pgbluegreen.config.DeploymentMode;
import io.pgbluegreen.cutover.step.FenceGreenStep;
import io.pgbluegreen.cutover.step.RestoreSubscriptionCommitStep;
import io.pgbluegreen.cutover.step.ResumeSubscriptionStep;
import io.pgbluegreen.cutover.step.ReverseCatchUpStep;
import io.pgbluegreen.cutover.step.UnfenceBlueStep;
import io.pgbluegreen.cutover.step.ProveQuietStep;

import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

/**
 * Decides whether and how blue can take over again after the latest cutover, from the journal (so it works after
 * a restart): refused when there is nothing to undo, or when green has taken writes that going back would lose.
 * Before the point of no return it only re-enables the subscription and unfences blue; after it, green is fenced
 * first, so that there are never two writable primaries.
 */
public final class Rollback {
    public record Plan(List<Step> steps, String refusal, String summary, List<String> nextActions) {
        static Plan refuse(String reason) {
            return new Plan(List.of(), reason, null, List.of());
        }
    }

    private Rollback() {
    }

    public static Plan plan(CutoverContext context, History history) throws RuntimeException {
        String name = context.deployment().name();
        if (history == null) {
            return Plan.refuse("no cutover of " + name + " in the journal: nothing to roll back");
        }
        boolean pgbouncer = context.deployment().pgbouncer() != null && !context.deployment().pgbouncer().isEmpty();
        History.RollbackProgress previous = history.lastRollback();
        if (previous != null && previous.unfinished() && previous.safeToCarryOn()) {
            return continued(context, history);
        }
        if (!history.blueFenced()) {
            return unfenced(history, pgbouncer, name);
        }
        boolean logical = context.deployment().deploymentMode() == DeploymentMode.LOGICAL;
        Runbook runbook = Runbook.of(context.deployment().deploymentMode());
        boolean pastNoReturn = history.stepsStarted().contains(runbook.pointOfNoReturn());
        List<Step> steps = new ArrayList<>();
        if (pastNoReturn) {
            if (history.greenNextXid() == null) {
                return Plan.refuse("the cutover " + history.operationId() + " passed " + runbook.pointOfNoReturn()
                        + " but did not record green's position, so it cannot be proven that green took no writes;"
                        + " blue stays fenced: decide by hand");
            }
            long now;
            try {
                now = context.green().queryLong(ProveQuietStep.NEXT_XID);
            } catch (SQLException e) {
                return Plan.refuse("cannot ask green whether it took writes: " + e.getMessage());
            }
            boolean greenWrote = now > history.greenNextXid();
            // a failed earlier rollback may have dropped the reverse replication already (its own steps on green
            // also move the transaction id): then nothing carries green's writes to blue any more
            boolean reverseDropped = previous != null && previous.unfinished() && previous.reverseDropped();
            if (greenWrote && !(logical && history.reverseSubscription() != null && !reverseDropped)) {
                return Plan.refuse("green took writes since the cutover (next transaction id " + history.greenNextXid()
                        + " -> " + now + "): going back to blue would lose them"
                        + (!logical ? "" : reverseDropped ? " (rollback " + previous.operationId()
                                + " already dropped the reverse replication; decide by hand)"
                                : " (no reverse replication is set up)"));
            }
            if (greenWrote) {
                // reverse replication carried green's writes to blue: stop green, let blue catch up, then swap back
                steps.add(new FenceGreenStep(context.deployment().fenceRoles()));
                steps.add(new ReverseCatchUpStep(history.reverseSubscription()));
                steps.add(new io.pgbluegreen.cutover.step.SyncSequencesStep(true));
            }
            if (!logical) {
                steps.add(new FenceGreenStep(context.deployment().fenceRoles()));
            }
        }
        if (logical && history.subscriptionCommitLeftChanged()) {
            steps.add(new RestoreSubscriptionCommitStep(history.previousSynchronousCommit()));
        }
        if (logical && history.reverseSubscription() != null) {
            steps.add(new io.pgbluegreen.cutover.step.StopReverseStep(history.reverseSubscription()));
        }
        if (logical && history.stepsStarted().contains("stop_subscription") && steps.stream()
                .noneMatch(s -> s instanceof ReverseCatchUpStep)) {
            steps.add(new ResumeSubscriptionStep());
        }
        steps.add(new UnfenceBlueStep(history.fence()));
        if (pgbouncer) {
            steps.add(new io.pgbluegreen.cutover.step.PointPgBouncerAtBlueStep());
        }
        String summary = pastNoReturn
                ? (logical ? "blue has everything green took and is unfenced: blue is the primary again"
                           : "green fenced (it took no writes) and blue unfenced: blue is the primary again")
                : "blue unfenced before the point of no return: blue is the primary again";
        List<String> next = new ArrayList<>(List.of("point clients back at blue: " + context.deployment().blue()));
        if (pastNoReturn && !logical) {
            next.add("green is a fenced former standby: rebuild it from blue (pg_basebackup or pg_rewind) before another cutover");
        }
        return new Plan(steps, null, summary, next);
    }

    /**
     * The previous rollback failed or was cut off part way after it fenced green: its plan is carried on from where
     * it stopped, not made again. Made again, it would judge wrongly: its own steps hand out transaction ids on green
     * (read as "green took writes"), and a reverse slot it already drained and dropped cannot be waited for. (One
     * that had not fenced green is planned afresh: green may have taken writes since.)
     */
    private static Plan continued(CutoverContext context, History history) {
        History.RollbackProgress previous = history.lastRollback();
        List<Step> steps = new ArrayList<>();
        for (String name : previous.plan()) {
            if (!previous.finished().contains(name)) {
                Step step = step(name, context, history);
                if (step == null) {
                    return Plan.refuse("rollback " + previous.operationId() + " planned a step this daemon does not know ("
                            + name + "): finish it by hand");
                }
                steps.add(step);
            }
        }
        return new Plan(steps, null, "rollback " + previous.operationId() + " carried on from where it stopped ("
                + String.join(", ", previous.finished()) + " had finished): blue is the primary again",
                List.of("point clients back at blue: " + context.deployment().blue()));
    }

    /** A rollback step by its journaled name, rebuilt from the cutover's history. */
    private static Step step(String name, CutoverContext context, History history) {
        return switch (name) {
            case "fence_green" -> new FenceGreenStep(context.deployment().fenceRoles());
            case "reverse_catch_up" -> new ReverseCatchUpStep(history.reverseSubscription());
            case "sync_sequences_back" -> new io.pgbluegreen.cutover.step.SyncSequencesStep(true);
            case "restore_subscription_commit" -> new RestoreSubscriptionCommitStep(history.previousSynchronousCommit());
            case "stop_reverse" -> new io.pgbluegreen.cutover.step.StopReverseStep(history.reverseSubscription());
            case "resume_subscription" -> new ResumeSubscriptionStep();
            case "unfence_blue" -> new UnfenceBlueStep(history.fence());
            case "point_pgbouncer_at_blue" -> new io.pgbluegreen.cutover.step.PointPgBouncerAtBlueStep();
            default -> null;
        };
    }

    /** Cut off before blue was fenced: only what the cutover changed on the way there needs giving back. */
    private static Plan unfenced(History history, boolean pgbouncer, String name) {
        List<Step> steps = new ArrayList<>();
        List<String> done = new ArrayList<>();
        if (history.subscriptionCommitLeftChanged()) {
            steps.add(new RestoreSubscriptionCommitStep(history.previousSynchronousCommit()));
            done.add("the subscription's synchronous_commit is '" + history.previousSynchronousCommit() + "' again");
        }
        if (pgbouncer && history.stepsStarted().contains("fence_blue") && !history.fenceUndone()) {
            // stopped after PAUSE but before the fence was planned
            steps.add(new io.pgbluegreen.cutover.step.PointPgBouncerAtBlueStep());
            done.add("PgBouncer points at blue and is resumed");
        }
        if (steps.isEmpty()) {
            return Plan.refuse("blue is not fenced by the latest cutover of " + name + " (" + history.operationId()
                    + "): nothing to roll back");
        }
        return new Plan(steps, null, String.join("; ", done) + "; blue was never fenced", List.of());
    }
}
