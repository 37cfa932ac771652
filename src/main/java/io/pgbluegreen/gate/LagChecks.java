package io.pgbluegreen.gate;

import io.pgbluegreen.sampling.DeploymentLag;

import java.util.List;

/** Lag in bytes and seconds against the deployment's limits (replay for physical, slot for logical). */
public final class LagChecks {
    private LagChecks() {
    }

    public static void add(List<CheckResult> out, GateInput in, String prefix) {
        DeploymentLag lag = in.lag();
        long maxBytes = in.thresholds().maxReplayLagBytes();
        if (in.fresh(in.blue()) == null || lag.bytes() == null) {
            out.add(CheckResult.unknown(prefix + "_lag_bytes", "lag unknown: "
                    + (in.fresh(in.blue()) == null ? in.whyNotFresh("blue", in.blue()) : "a side is not replicating as the mode expects")));
        } else {
            out.add(CheckResult.of(prefix + "_lag_bytes", lag.bytes() <= maxBytes, lag.bytes(), "<= " + maxBytes,
                    "green is " + lag.bytes() + " bytes behind", "green is " + lag.bytes() + " bytes behind (limit " + maxBytes + ")"));
        }
        double maxSeconds = in.thresholds().maxReplayLag().toMillis() / 1000.0;
        if (lag.seconds() == null) {
            out.add(CheckResult.unknown(prefix + "_lag_seconds", "time lag unknown"));
        } else {
            String observed = String.format(java.util.Locale.ROOT, "%.1fs", lag.seconds());
            out.add(CheckResult.of(prefix + "_lag_seconds", lag.seconds() <= maxSeconds, observed,
                    "<= " + GateInput.seconds(in.thresholds().maxReplayLag()), "green is " + observed + " behind",
                    "green is " + observed + " behind (limit " + GateInput.seconds(in.thresholds().maxReplayLag()) + ")"));
        }
    }
}
