package io.pgbluegreen.sampling;

import io.pgbluegreen.config.DeploymentConfig;
import jakarta.inject.Singleton;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Keeps, per deployment, blue's {@link WalTimeline} (which logical time lags are read from) and the latest lag.
 */
@Singleton
public class DeploymentLagTracker {
    private final SnapshotStore store;
    private final List<ModeLag> modes;
    private final Map<String, WalTimeline> timelines = new ConcurrentHashMap<>();
    private final Map<String, DeploymentLag> latest = new ConcurrentHashMap<>();

    public DeploymentLagTracker(SnapshotStore store, List<ModeLag> modes) {
        this.store = store;
        this.modes = List.copyOf(modes);
    }

    public DeploymentLag update(DeploymentConfig deployment) {
        TargetState blue = store.get(deployment.blue()).orElse(null);
        TargetState green = store.get(deployment.green()).orElse(null);
        WalTimeline timeline = timeline(deployment.name());
        TargetSample blueSample = blue == null ? null : blue.currentSample();
        if (blueSample != null && blueSample.walEnd() != null) {
            timeline.add(blueSample.server().serverEpochSeconds(), blueSample.walEnd().bytes());
        }
        DeploymentLag lag = lag(deployment, blue, green);
        latest.put(deployment.name(), lag);
        return lag;
    }

    /** The lag between these two states of the deployment's sides, measured the deployment's mode's way. */
    public DeploymentLag lag(DeploymentConfig deployment, TargetState blue, TargetState green) {
        TargetSample blueSample = blue == null ? null : blue.currentSample();
        TargetSample greenSample = green == null ? null : green.currentSample();
        ModeLag mode = modes.stream().filter(m -> m.measures(deployment.deploymentMode())).findFirst().orElse(null);
        if (blueSample == null || mode == null) {
            return DeploymentLag.UNKNOWN;
        }
        return mode.lag(deployment, blueSample, greenSample, timeline(deployment.name()));
    }

    public WalTimeline timeline(String deployment) {
        return timelines.computeIfAbsent(deployment, d -> new WalTimeline());
    }

    public DeploymentLag latest(String deployment) {
        return latest.getOrDefault(deployment, DeploymentLag.UNKNOWN);
    }
}
