package io.pgbluegreen.metrics;

import io.micronaut.context.annotation.Requires;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.context.annotation.Context;
import io.pgbluegreen.config.DeploymentConfig;
import io.pgbluegreen.config.MetricsConfig;
import io.pgbluegreen.config.Topology;
import io.pgbluegreen.patroni.PatroniClusterState;
import io.pgbluegreen.patroni.PatroniStore;
import io.pgbluegreen.sampling.DeploymentLagTracker;
import io.pgbluegreen.sampling.SnapshotStore;
import io.pgbluegreen.sampling.TargetSample;
import io.pgbluegreen.sampling.TargetState;

/**
 * Turns each new target state into series on the {@link SeriesBoard}, on the sampler's thread, so that a scrape
 * only formats values that are already there. The sample age is the one value computed at scrape time (it must
 * keep growing while a target hangs), and it too reads only the store.
 */
@Requires(property = "pg-bluegreen.agent.enabled", notEquals = "true")
@Context
public class MetricsPublisher {
    private final Topology topology;
    private final SeriesBoard board;
    private final DeploymentLagTracker lagTracker;
    private final boolean compat;

    public MetricsPublisher(Topology topology, SnapshotStore store, SeriesBoard board, DeploymentLagTracker lagTracker,
                            MetricsConfig metricsConfig, @Nullable JmxMirror jmx, PatroniStore patroniStore) {
        this.topology = topology;
        this.board = board;
        this.lagTracker = lagTracker;
        this.compat = metricsConfig.compatPostgresExporter();
        board.scrapeTime(MetricCatalog.SAMPLE_AGE, () -> {
            SeriesList ages = new SeriesList();
            topology.targets().keySet().forEach(t -> ages.add(MetricCatalog.SAMPLE_AGE, sampleAge(store, t), t));
            return ages.series();
        });
        for (String target : topology.targets().keySet()) {
            if (jmx != null) {
                Series template = new SeriesList().add(MetricCatalog.SAMPLE_AGE, 0, target).series().get(0);
                jmx.live("target:" + target, template, () -> sampleAge(store, target));
            }
            publish(store.get(target).orElseGet(() -> TargetState.never(target)));
        }
        topology.deployments().values().forEach(this::publishDeployment);
        store.onUpdate(this::publish);
        patroniStore.onUpdate(this::publishPatroni);
    }

    private void publishPatroni(PatroniClusterState state) {
        SeriesList out = new SeriesList();
        PatroniSeries.add(out, state);
        board.publish("patroni:" + state.name(), out.series());
    }

    void publish(TargetState state) {
        String target = state.target();
        SeriesList out = new SeriesList();
        TargetSeries.add(out, state);
        TargetSample sample = state.currentSample();
        if (sample != null) {
            ReplicationSeries.add(out, target, sample);
            SlotSeries.add(out, target, sample);
            StandbySeries.add(out, target, sample);
            SubscriptionSeries.add(out, target, sample);
        }
        if (compat) {
            CompatSeries.add(out, state);
        }
        board.publish("target:" + target, out.series());
        topology.deploymentsOf(target).forEach(this::publishDeployment);
    }

    private void publishDeployment(DeploymentConfig deployment) {
        SeriesList out = new SeriesList();
        DeploymentSeries.add(out, deployment, lagTracker.update(deployment));
        board.publish("deployment:" + deployment.name(), out.series());
    }

    private static double sampleAge(SnapshotStore store, String target) {
        return store.get(target).map(TargetState::lastSample)
                .map(s -> Math.max(0, (System.currentTimeMillis() - s.sampledAt().toEpochMilli()) / 1000.0))
                .orElse(Double.POSITIVE_INFINITY);
    }
}
