package io.pgbluegreen.rollback;

import io.pgbluegreen.operation.StepState;
import io.pgbluegreen.journal.StepFact;
import io.pgbluegreen.fence.Fencer;
import io.pgbluegreen.postgres.Waits;
import io.pgbluegreen.operation.StepRunner;
import io.pgbluegreen.operation.History;
import io.pgbluegreen.operation.OperationContext;
import io.pgbluegreen.operation.OperationState;
import io.pgbluegreen.operation.Step;


import java.util.ArrayList;
import java.util.List;

/**
 * Runs a rollback's steps (journaled like a cutover's) and decides what a failure means. After audit_green the plan
 * is completed by {@link Rollback#afterAudit}; its whole plan is journaled again, so a rollback cut off after it
 * unfenced blue can be carried on. A failure (or a refusal found after fencing green) while blue is still fenced
 * gives green its fence back (and checks it took): a rollback never leaves both sides unwritable. Green's baseline
 * moved already if reverse_catch_up had carried its writes to blue.
 */
final class RollbackRun {
    private static final java.time.Duration RELOAD_SEEN = java.time.Duration.ofSeconds(5);
    /** The step name under which the plan is journaled (it is no step of its own). */
    static final String PLAN = "plan";
    private final StepRunner runner;
    private final Rollback rollback;

    RollbackRun(StepRunner runner, Rollback rollback) {
        this.runner = runner;
        this.rollback = rollback;
    }

    /** Returns the refusal found after fencing green (the operation then ended aborted), or null. */
    String run(OperationContext context, History history, RollbackPlan first) {
        List<Step> steps = new ArrayList<>(first.steps());
        RollbackPlan plan = first;
        journalPlan(context, steps);
        for (int i = 0; i < steps.size(); i++) {
            Step step = steps.get(i);
            Exception failure = runner.runStep(context, step);
            if (failure != null) {
                failed(context, step.name() + " failed: " + StepRunner.message(failure));
                return null;
            }
            if (step instanceof AuditGreenStep) {
                try {
                    plan = rollback.afterAudit(history, Boolean.TRUE.equals(context.greenWrote()), context.greenFence());
                } catch (Exception e) {
                    failed(context, "deciding after audit_green failed: " + StepRunner.message(e));
                    return null;
                }
                if (plan.refusal() != null) {
                    String detail = plan.refusal().reason() + (giveGreenBack(context) ? "; green is writable again" : "")
                            + resumePgBouncer(context);
                    finish(context, OperationState.ABORTED, detail, List.of());
                    return detail;
                }
                steps.addAll(plan.steps());
                journalPlan(context, steps);
            }
        }
        finish(context, OperationState.SUCCEEDED, plan.summary(), plan.nextActions());
        return null;
    }

    private void failed(OperationContext context, String reason) {
        boolean blueUnfenced = context.operation().view().steps().stream()
                .anyMatch(s -> s.name().equals(UnfenceBlueStep.NAME) && s.stepState() == StepState.SUCCEEDED);
        String name = context.deployment().name();
        if (blueUnfenced || context.greenFence() == null) {
            finish(context, OperationState.FAILED, reason + (blueUnfenced ? "" : resumePgBouncer(context)),
                    List.of("retry POST /deployments/" + name + "/rollback, or finish by hand"));
            return;
        }
        boolean given = giveGreenBack(context);
        finish(context, OperationState.FAILED, reason + (given ? "; green is writable again, blue stays fenced"
                        + resumePgBouncer(context)
                        : "; giving green its writes back failed too: both sides are fenced, unfence one by hand"),
                List.of("retry POST /deployments/" + name + "/rollback once the cause is fixed"));
    }

    /** Undoes this rollback's fence on green (its baseline moved already if reverse_catch_up had run); did it take? */
    private boolean giveGreenBack(OperationContext context) {
        try {
            UnfenceGreenStep.undo(context, context.greenFence());
            // the reload reaches sessions asynchronously: give it a moment before calling green fenced still
            if (!Waits.until(RELOAD_SEEN, java.time.Duration.ofMillis(50),
                    () -> Fencer.lifted(context.green(), context.greenFence()))) {
                return false;
            }
            return true;
        } catch (Exception e) {
            return false;
        }
    }

    /** Clients paused for a rollback that stops with green the primary go on against green; says what it did. */
    private static String resumePgBouncer(OperationContext context) {
        if (!context.pgbouncerPaused()) {
            return "";
        }
        try {
            context.pgbouncer().resume();
            context.pgbouncerPaused(false);
            return "; PgBouncer resumed (still pointing at green)";
        } catch (Exception e) {
            return "; PgBouncer is still paused: RESUME " + context.pgbouncer().settings().database() + " by hand ("
                    + StepRunner.message(e) + ")";
        }
    }

    private void journalPlan(OperationContext context, List<Step> steps) {
        context.remember(PLAN, new StepFact.RollbackPlanned(steps.stream().map(Step::name).toList()));
    }

    private void finish(OperationContext context, OperationState state, String detail, List<String> actions) {
        runner.finish(context, state, detail, actions);
    }
}
