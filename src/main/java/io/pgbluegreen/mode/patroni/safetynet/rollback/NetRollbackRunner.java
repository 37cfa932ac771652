package io.pgbluegreen.mode.patroni.safetynet.rollback;

import io.pgbluegreen.operation.OperationContext;
import io.pgbluegreen.operation.OperationState;
import io.pgbluegreen.operation.Step;
import io.pgbluegreen.operation.StepRunner;
import io.pgbluegreen.patroni.PatroniClients;

import java.util.ArrayList;
import java.util.List;

/**
 * Runs a safety-net rollback's steps, each journaled by the {@link StepRunner}. A failure before
 * {@value PromoteMemberStep#NAME} (the point of no return) gives the cluster back as it was before the rollback, minus
 * the net: the old leader restarted if it was stopped, the member returned to Patroni as a streaming replica. A
 * failure from there on stops where it is and says what to do ({@link NetRollbackAdvice}).
 */
final class NetRollbackRunner {
    /** The pseudo-step the rollback's plan is journaled under (the net it consumes). */
    static final String PLAN = "plan";
    private final StepRunner runner;

    NetRollbackRunner(StepRunner runner) {
        this.runner = runner;
    }

    void run(OperationContext context, NetRollbackPlan plan, PatroniClients patroni) {
        List<Step> steps = List.of(new StopMemberPatroniStep(plan), new RecoverToXidStep(plan),
                OtherMembersTagsStep.exclude(plan, patroni), new StopOldLeaderStep(plan, patroni),
                new PromoteMemberStep(plan, patroni), new MemberLeadsStep(plan, patroni),
                OtherMembersTagsStep.restore(plan, patroni), new LeaveMaintenanceStep(plan, patroni),
                new OldLeaderRejoinsStep(plan, patroni));
        List<String> ran = new ArrayList<>();
        List<String> left = new ArrayList<>();
        for (Step step : steps) {
            ran.add(step.name());
            Exception failure = runner.runStep(context, step);
            if (failure == null) {
                continue;
            }
            if (step.name().equals(OtherMembersTagsStep.RESTORE)) {
                // the member leads: tags left on a replica must not keep the cluster in maintenance mode or the old
                // leader stopped; they are reported at the end
                left.add("the other members' tags: " + StepRunner.message(failure));
                continue;
            }
            String why = step.name() + " failed: " + StepRunner.message(failure);
            if (!ran.contains(PromoteMemberStep.NAME) || failure instanceof PromoteMemberStep.NotPromoted) {
                undo(context, plan, patroni, ran, why);
            } else {
                runner.finish(context, OperationState.FAILED, why + "; " + NetRollbackAdvice.stateAfter(plan, step.name()),
                        NetRollbackAdvice.actionsAfter(plan.deployment().name(), plan.cluster().name(), plan.member(),
                                plan.leader(), step.name()));
            }
            return;
        }
        List<String> next = new ArrayList<>(List.of("writes committed after the marker are gone from the cluster (the old"
                + " leader was rewound)", "POST /deployments/" + plan.deployment().name()
                + "/safety-net to hold a new net before the next deploy"));
        if (!left.isEmpty()) {
            next.add(0, NetRollbackAdvice.OTHERS_TAGGED);
        }
        runner.finish(context, OperationState.SUCCEEDED, plan.member() + " leads at xid " + plan.net().xid()
                + " (the safety net's marker) on a new timeline; " + plan.leader() + " streams from it"
                + (left.isEmpty() ? "" : "; LEFT: " + String.join("; ", left)), next);
    }

    private void undo(OperationContext context, NetRollbackPlan plan, PatroniClients patroni, List<String> ran, String why) {
        List<String> left = new ArrayList<>();
        if (ran.contains(StopOldLeaderStep.NAME)) {
            Exception failed = runner.runStep(context, new RestartOldLeaderStep(plan, patroni));
            if (failed != null) {
                // no maintenance-mode change without a leader: the member could win a race with the net's old data
                left.add(plan.leader() + " may be stopped: " + StepRunner.message(failed) + "; " + plan.member()
                        + " was left out of Patroni, paused at xid " + plan.net().xid());
            }
        }
        if (left.isEmpty()) {
            Exception failed = runner.runStep(context, new ReturnMemberStep(plan, patroni));
            if (failed != null) {
                left.add(plan.member() + " is not back as a streaming replica: " + StepRunner.message(failed));
            }
        }
        if (ran.contains(OtherMembersTagsStep.EXCLUDE)) {
            Exception failed = runner.runStep(context, OtherMembersTagsStep.restore(plan, patroni));
            if (failed != null) {
                left.add("the other members may still be tagged nofailover: " + StepRunner.message(failed));
            }
        }
        if (left.isEmpty()) {
            runner.finish(context, OperationState.ABORTED, why + "; undone: " + plan.leader() + " leads, " + plan.member()
                    + (plan.net().enteredMaintenance() ? " streams from it again; the safety net is gone (its replay resumed)"
                    : " is back under its Patroni but stopped: the cluster was in maintenance mode before the net and stays"
                    + " so, and Patroni starts it only after patronictl resume; the safety net is gone"),
                    plan.net().enteredMaintenance()
                            ? List.of("GET /deployments/" + plan.deployment().name() + "/gate, then hold a new net (POST"
                            + " .../safety-net) if the deploy is still to be protected")
                            : List.of("patronictl resume " + plan.cluster().name() + " when the cluster may leave maintenance"
                            + " mode: Patroni then starts " + plan.member() + " as a replica",
                            "then hold a new net (POST .../safety-net) if the deploy is still to be protected"));
        } else {
            runner.finish(context, OperationState.FAILED, why + "; the undo did not finish: " + String.join("; ", left),
                    NetRollbackAdvice.actionsAfterFailedUndo(plan.cluster().name(), plan.member(), plan.leader()));
        }
    }
}
