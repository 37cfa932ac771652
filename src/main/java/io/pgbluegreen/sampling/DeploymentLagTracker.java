package io.pgbluegreen.sampling;

import io.pgbluegreen.config.DeploymentConfig;
import jakarta.inject.Singleton;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Keeps, per deployment, the last time (blue's clock) green was seen caught up, which {@link DeploymentLag}
 * needs when nothing else tells the lag of a cut-off subscriber; and the latest computed lag.
 */
@Singleton
public class DeploymentLagTracker {
    private final SnapshotStore store;
    private final Map<String, Double> lastCaughtUpEpoch = new ConcurrentHashMap<>();
    private final Map<String, DeploymentLag> latest = new ConcurrentHashMap<>();

    public DeploymentLagTracker(SnapshotStore store) {
        this.store = store;
    }

    public DeploymentLag update(DeploymentConfig deployment) {
        TargetState blue = store.get(deployment.blue()).orElse(null);
        TargetState green = store.get(deployment.green()).orElse(null);
        DeploymentLag lag = DeploymentLag.of(deployment, blue, green, lastCaughtUpEpoch.get(deployment.name()));
        if (lag.bytes() != null && lag.bytes() == 0 && blue != null && blue.currentSample() != null) {
            lastCaughtUpEpoch.put(deployment.name(), blue.currentSample().server().serverEpochSeconds());
        }
        latest.put(deployment.name(), lag);
        return lag;
    }

    public DeploymentLag latest(String deployment) {
        return latest.getOrDefault(deployment, DeploymentLag.UNKNOWN);
    }
}
