package io.pgbluegreen.operation;

import io.micronaut.context.annotation.Context;
import io.micronaut.context.annotation.Requires;
import io.pgbluegreen.config.DeploymentConfig;
import io.pgbluegreen.config.Topology;
import io.pgbluegreen.metrics.SeriesBoard;
import io.pgbluegreen.metrics.SeriesList;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Publishes each configured deployment's operation series ({@link OperationSeries}) at start, from the journal's
 * operations, and again whenever one of its operations starts or changes (a step, its end), on the thread that changed
 * it; a scrape only reads the text. Operations of deployments no longer configured are left out (bounded labels).
 */
@Requires(property = "pg-bluegreen.agent.enabled", notEquals = "true")
@Context
public class OperationMetrics {
    static final String OWNER = "operations:";
    private final Topology topology;
    private final OperationService operations;
    private final List<ModeRunbook> modes;
    private final SeriesBoard board;
    private final Map<String, Object> locks = new ConcurrentHashMap<>();

    public OperationMetrics(Topology topology, OperationService operations, List<ModeRunbook> modes, SeriesBoard board) {
        this.topology = topology;
        this.operations = operations;
        this.modes = modes;
        this.board = board;
        operations.onChange(this::publish);
        topology.deployments().keySet().forEach(this::publish);
    }

    private void publish(String deployment) {
        DeploymentConfig config = topology.deployment(deployment).orElse(null);
        if (config == null) {
            return;
        }
        // computed and published under one lock, so that two threads cannot publish in the wrong order
        synchronized (locks.computeIfAbsent(deployment, d -> new Object())) {
            List<OperationView> ops = operations.operations().stream().filter(op -> op.deployment().equals(deployment))
                    .map(Operation::view).toList();
            ModeRunbook mode = ModeRunbook.of(modes, config.deploymentMode());
            SeriesList out = new SeriesList();
            OperationSeries.add(out, deployment, ops, mode == null ? null : mode.writeWindow());
            board.publish(OWNER + deployment, out.series());
        }
    }
}
