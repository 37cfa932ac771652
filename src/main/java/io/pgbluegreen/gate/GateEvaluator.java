package io.pgbluegreen.gate;

import io.pgbluegreen.config.DeploymentMode;

import java.util.ArrayList;
import java.util.List;

/**
 * The gate: a pure function from what was observed to a verdict, so that the same code answers
 * GET /deployments/{name}/gate and the live check before a cutover, and every check can be tested with
 * hand-made inputs.
 */
public final class GateEvaluator {
    private GateEvaluator() {
    }

    public static Verdict evaluate(GateInput in) {
        List<CheckResult> checks = new ArrayList<>();
        CommonChecks.add(checks, in);
        FenceChecks.add(checks, in);
        if (in.deployment().deploymentMode() == DeploymentMode.LOGICAL) {
            LogicalChecks.add(checks, in);
        } else {
            PhysicalChecks.add(checks, in);
        }
        PgBouncerChecks.add(checks, in);
        return Verdict.of(in.deployment().name(), checks, in.now());
    }
}
