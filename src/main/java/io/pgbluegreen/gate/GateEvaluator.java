package io.pgbluegreen.gate;

import java.util.ArrayList;
import java.util.List;

/**
 * The gate: a pure function from what was observed to a verdict, so that the same code answers
 * GET /deployments/{name}/gate and the live check before a cutover, and every check can be tested with
 * hand-made inputs. The deployment's mode adds its own checks.
 */
public final class GateEvaluator {
    private GateEvaluator() {
    }

    public static Verdict evaluate(GateInput in, ModeGate mode) {
        List<CheckResult> checks = new ArrayList<>();
        CommonChecks.add(checks, in, mode);
        mode.addChecks(checks, in);
        PgBouncerChecks.add(checks, in);
        return Verdict.of(in.deployment().name(), checks, in.now());
    }
}
