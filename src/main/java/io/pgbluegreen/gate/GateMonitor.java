package io.pgbluegreen.gate;

import io.micronaut.context.annotation.Context;
import io.micronaut.context.annotation.Requires;
import io.pgbluegreen.config.DeploymentConfig;
import io.pgbluegreen.config.GateConfig;
import io.pgbluegreen.config.Topology;
import io.pgbluegreen.metrics.MetricCatalog;
import io.pgbluegreen.metrics.SeriesBoard;
import io.pgbluegreen.metrics.SeriesList;
import jakarta.annotation.PreDestroy;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.List;

/**
 * Re-evaluates every deployment's gate on its own thread and exports the verdicts, so dashboards and alerts see
 * readiness without anyone calling the API. The live facts queries run here, never on a scrape.
 */
@Requires(property = "pg-bluegreen.agent.enabled", notEquals = "true")
@Context
public class GateMonitor {
    private static final Logger LOG = LoggerFactory.getLogger(GateMonitor.class);
    static final List<String> STATES = java.util.Arrays.stream(CheckStatus.values()).map(CheckStatus::label).toList();
    private final List<Thread> threads;
    private volatile boolean running = true;

    /** One thread per deployment: a hung server delays only its own deployment's verdicts. */
    public GateMonitor(Topology topology, GateService gate, GateConfig config, SeriesBoard board) {
        threads = topology.deployments().values().stream().map(deployment -> {
            Thread thread = new Thread(() -> {
                try {
                    while (running) {
                        publish(board, gate, deployment);
                        Thread.sleep(config.interval().toMillis());
                    }
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }, "gate-monitor-" + deployment.name());
            thread.setDaemon(true);
            return thread;
        }).toList();
        threads.forEach(Thread::start);
    }

    private static void publish(SeriesBoard board, GateService gate, DeploymentConfig deployment) {
        try {
            Verdict verdict = gate.fromSamples(deployment);
            SeriesList out = new SeriesList();
            out.flag(MetricCatalog.GATE_READY, verdict.ready(), deployment.name());
            for (CheckResult check : verdict.checks()) {
                out.stateSet(MetricCatalog.GATE_CHECK, STATES, check.status().label(), deployment.name(), check.name());
            }
            board.publish("gate:" + deployment.name(), out.series());
        } catch (RuntimeException e) {
            LOG.error("gate evaluation of {} failed", deployment.name(), e);
        }
    }

    @PreDestroy
    void stop() {
        running = false;
        threads.forEach(Thread::interrupt);
    }
}
