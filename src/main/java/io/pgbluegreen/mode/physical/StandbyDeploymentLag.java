package io.pgbluegreen.mode.physical;

import io.pgbluegreen.sampling.DeploymentLag;
import io.pgbluegreen.sampling.StandbyLag;
import io.pgbluegreen.sampling.TargetSample;

/**
 * A standby's lag: bytes = blue's WAL end minus green's replay position (cross-node, so a cut-off green shows its
 * distance); seconds = green's own replay lag (see {@link StandbyLag}), 0 when no byte is missing.
 */
public final class StandbyDeploymentLag {
    private StandbyDeploymentLag() {
    }

    public static DeploymentLag of(TargetSample blue, TargetSample green) {
        if (green == null || green.recovery() == null) {
            return DeploymentLag.UNKNOWN;
        }
        Long bytes = StandbyLag.bytesBehind(blue.walEnd(), green.recovery());
        if (bytes == null) {
            return DeploymentLag.UNKNOWN;
        }
        // (no ternary here: mixing 0.0 with a null Double would unbox and throw)
        Double seconds = green.replayLagSeconds();
        return new DeploymentLag(bytes, bytes == 0 ? Double.valueOf(0) : seconds);
    }
}
