package io.pgbluegreen.sampling;

import io.micronaut.serde.annotation.Serdeable;
import io.pgbluegreen.config.DeploymentConfig;
import io.pgbluegreen.config.DeploymentMode;
import io.pgbluegreen.sampling.view.ReplicationSlot;
import io.pgbluegreen.sampling.view.StandbyReplication;
import io.pgbluegreen.postgres.Lsn;

/**
 * How far green is behind blue, whatever the mode; null parts are unknown (a side is down or not in the shape
 * the mode expects), never 0.
 * <ul>
 * <li>physical / patroni: bytes = blue's WAL end minus green's replay position (cross-node, so a cut-off green
 *     shows its distance); seconds = green's own replay lag (see {@link StandbyLag}), 0 when no byte is missing.</li>
 * <li>logical: bytes = blue's WAL end minus the confirmed flush position of the deployment's slot; seconds = how
 *     long ago blue's WAL end was last at or before that position ({@link WalTimeline}), else the replay_lag
 *     blue's walsender reports for the subscription. Keeps growing while the subscriber is cut off.</li>
 * </ul>
 */
@Serdeable
public record DeploymentLag(Long bytes, Double seconds) {
    public static final DeploymentLag UNKNOWN = new DeploymentLag(null, null);

    public static DeploymentLag of(DeploymentConfig deployment, TargetState blue, TargetState green, WalTimeline timeline) {
        TargetSample blueSample = blue == null ? null : blue.currentSample();
        TargetSample greenSample = green == null ? null : green.currentSample();
        if (blueSample == null) {
            return UNKNOWN;
        }
        if (deployment.deploymentMode() == DeploymentMode.LOGICAL) {
            return logical(deployment, blueSample, timeline);
        }
        if (greenSample == null || greenSample.recovery() == null) {
            return UNKNOWN;
        }
        Long bytes = StandbyLag.bytesBehind(blueSample.walEnd(), greenSample.recovery());
        if (bytes == null) {
            return UNKNOWN;
        }
        // (no ternary here: mixing 0.0 with a null Double would unbox and throw)
        Double seconds = greenSample.replayLagSeconds();
        return new DeploymentLag(bytes, bytes == 0 ? Double.valueOf(0) : seconds);
    }

    private static DeploymentLag logical(DeploymentConfig deployment, TargetSample blue, WalTimeline timeline) {
        ReplicationSlot slot = blue.slots().stream().filter(s -> s.name().equals(deployment.slot())).findFirst().orElse(null);
        if (slot == null || slot.confirmedFlushLsn() == null) {
            return UNKNOWN;
        }
        Long bytes = Lsn.distance(blue.walEnd(), slot.confirmedFlushLsn());
        if (bytes == null) {
            return UNKNOWN;
        }
        if (bytes == 0) {
            return new DeploymentLag(0L, 0.0);
        }
        Double sinceThere = timeline == null ? null
                : timeline.lagSeconds(slot.confirmedFlushLsn().bytes(), blue.server().serverEpochSeconds());
        if (sinceThere != null) {
            return new DeploymentLag(bytes, sinceThere);
        }
        Double replayLag = blue.replication().stream()
                .filter(r -> deployment.subscription().equals(r.applicationName()))
                .map(StandbyReplication::replayLagSeconds)
                .filter(java.util.Objects::nonNull).findFirst().orElse(null);
        return new DeploymentLag(bytes, replayLag);
    }
}
