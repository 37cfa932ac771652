package io.pgbluegreen.rollback;

import io.pgbluegreen.operation.Refusal;
import io.pgbluegreen.operation.Step;

import java.util.List;

/** Steps to run, or a refusal; the summary and next actions say how the rollback ends when all steps succeed. */
public record RollbackPlan(List<Step> steps, Refusal refusal, String summary, List<String> nextActions) {
    public RollbackPlan {
        steps = List.copyOf(steps);
        nextActions = List.copyOf(nextActions);
    }

    public static RollbackPlan refuse(Refusal.Cause cause, String reason) {
        return new RollbackPlan(List.of(), Refusal.of(cause, reason), null, List.of());
    }

    public static RollbackPlan of(List<Step> steps, String summary, List<String> nextActions) {
        return new RollbackPlan(steps, null, summary, nextActions);
    }
}
