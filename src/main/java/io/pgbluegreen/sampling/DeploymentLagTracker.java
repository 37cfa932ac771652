package io.pgbluegreen.sampling;

import io.pgbluegreen.config.DeploymentConfig;
import jakarta.inject.Singleton;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Keeps, per deployment, blue's {@link WalTimeline} (which logical time lags are read from) and the latest lag.
 */
@Singleton
public class DeploymentLagTracker {
    private final SnapshotStore store;
    private final Map<String, WalTimeline> timelines = new ConcurrentHashMap<>();
    private final Map<String, DeploymentLag> latest = new ConcurrentHashMap<>();

    public DeploymentLagTracker(SnapshotStore store) {
        this.store = store;
    }

    public DeploymentLag update(DeploymentConfig deployment) {
        TargetState blue = store.get(deployment.blue()).orElse(null);
        TargetState green = store.get(deployment.green()).orElse(null);
        WalTimeline timeline = timeline(deployment.name());
        TargetSample blueSample = blue == null ? null : blue.currentSample();
        if (blueSample != null && blueSample.walEnd() != null) {
            timeline.add(blueSample.server().serverEpochSeconds(), blueSample.walEnd().bytes());
        }
        DeploymentLag lag = DeploymentLag.of(deployment, blue, green, timeline);
        latest.put(deployment.name(), lag);
        return lag;
    }

    public WalTimeline timeline(String deployment) {
        return timelines.computeIfAbsent(deployment, d -> new WalTimeline());
    }

    public DeploymentLag latest(String deployment) {
        return latest.getOrDefault(deployment, DeploymentLag.UNKNOWN);
    }
}
