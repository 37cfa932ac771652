package io.pgbluegreen.mode.logical;

import io.pgbluegreen.config.DeploymentConfig;
import io.pgbluegreen.postgres.Lsn;
import io.pgbluegreen.sampling.DeploymentLag;
import io.pgbluegreen.sampling.TargetSample;
import io.pgbluegreen.sampling.WalTimeline;
import io.pgbluegreen.sampling.view.ReplicationSlot;
import io.pgbluegreen.sampling.view.StandbyReplication;

import java.util.Objects;

/**
 * A subscriber's lag: bytes = blue's WAL end minus the confirmed flush position of the deployment's slot; seconds =
 * how long ago blue's WAL end was last at or before that position ({@link WalTimeline}), else the replay_lag blue's
 * walsender reports for the subscription. Keeps growing while the subscriber is cut off.
 */
final class SubscriberLag {
    private SubscriberLag() {
    }

    static DeploymentLag of(DeploymentConfig deployment, TargetSample blue, WalTimeline timeline) {
        ReplicationSlot slot = blue.slots().stream().filter(s -> s.name().equals(deployment.slot())).findFirst().orElse(null);
        if (slot == null || slot.confirmedFlushLsn() == null) {
            return DeploymentLag.UNKNOWN;
        }
        Long bytes = Lsn.distance(blue.walEnd(), slot.confirmedFlushLsn());
        if (bytes == null) {
            return DeploymentLag.UNKNOWN;
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
                .filter(Objects::nonNull).findFirst().orElse(null);
        return new DeploymentLag(bytes, replayLag);
    }
}
