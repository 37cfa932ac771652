package io.pgbluegreen.mode.patroni.safetynet;

import io.micronaut.context.annotation.Context;
import io.micronaut.context.annotation.Requires;
import io.pgbluegreen.config.DeploymentConfig;
import io.pgbluegreen.config.DeploymentMode;
import io.pgbluegreen.config.Topology;
import io.pgbluegreen.metrics.SafetyNetSeries;
import io.pgbluegreen.metrics.SeriesBoard;
import io.pgbluegreen.metrics.SeriesList;
import io.pgbluegreen.patroni.PatroniStore;
import jakarta.annotation.PreDestroy;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.List;

/**
 * Exports each Patroni deployment's safety net, on a thread of its own per deployment (a hung member delays only
 * its own figures, never a scrape): {@code pgbg_safety_net_held} always, and while held the live figures, read
 * every sample interval (at least a second) on short-lived sessions bounded by the connect and socket timeouts.
 */
@Requires(property = "pg-bluegreen.agent.enabled", notEquals = "true")
@Context
public class SafetyNetMonitor {
    private static final Logger LOG = LoggerFactory.getLogger(SafetyNetMonitor.class);
    private static final Duration MIN_INTERVAL = Duration.ofSeconds(1);
    private final List<Thread> threads;
    private volatile boolean running = true;

    public SafetyNetMonitor(Topology topology, SafetyNetService nets, PatroniStore patroni, SeriesBoard board) {
        Duration interval = topology.sampling().sampleInterval().compareTo(MIN_INTERVAL) < 0 ? MIN_INTERVAL
                : topology.sampling().sampleInterval();
        threads = topology.deployments().values().stream().filter(d -> d.deploymentMode() == DeploymentMode.PATRONI)
                .map(deployment -> {
                    publish(topology, nets, patroni, board, deployment, false);
                    Thread thread = new Thread(() -> {
                        try {
                            while (running) {
                                publish(topology, nets, patroni, board, deployment, true);
                                Thread.sleep(interval.toMillis());
                            }
                        } catch (InterruptedException e) {
                            Thread.currentThread().interrupt();
                        }
                    }, "safety-net-" + deployment.name());
                    thread.setDaemon(true);
                    return thread;
                }).toList();
        threads.forEach(Thread::start);
    }

    private static void publish(Topology topology, SafetyNetService nets, PatroniStore patroni, SeriesBoard board,
                                DeploymentConfig deployment, boolean live) {
        try {
            SeriesList out = new SeriesList();
            SafetyNetRecord record = nets.record(deployment.name());
            if (record.held() == null) {
                SafetyNetSeries.none(out, deployment.name());
            } else if (live) {
                var net = record.held().net();
                SafetyNetFigures figures = SafetyNetFigures.read(topology, deployment, net, patroni.get(net.cluster()));
                SafetyNetSeries.held(out, deployment.name(), SafetyNetView.heldSeconds(net.heldSince()), figures.walAvailable(),
                        figures.replayPauseState() == null ? null : figures.paused(), figures.receivedNotReplayedBytes(),
                        figures.walKeptBytes());
            } else {
                return;
            }
            board.publish("safety-net:" + deployment.name(), out.series());
        } catch (RuntimeException e) {
            LOG.error("safety-net figures of {} failed", deployment.name(), e);
        }
    }

    @PreDestroy
    void stop() {
        running = false;
        threads.forEach(Thread::interrupt);
    }
}
