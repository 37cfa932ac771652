package io.pgbluegreen.patroni;

import io.micronaut.context.annotation.Context;
import io.micronaut.context.annotation.Requires;
import io.pgbluegreen.config.Topology;
import jakarta.annotation.PreDestroy;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/** One loop per Patroni cluster on its own thread, on the same interval as the targets. */
@Requires(property = "pg-bluegreen.agent.enabled", notEquals = "true")
@Context
public class PatroniSamplingService {
    private static final Logger LOG = LoggerFactory.getLogger(PatroniSamplingService.class);
    private final List<Thread> threads = new ArrayList<>();
    private volatile boolean running = true;

    public PatroniSamplingService(Topology topology, PatroniStore store) {
        Duration interval = topology.sampling().sampleInterval();
        Duration timeout = topology.sampling().httpTimeout();
        topology.patroniClusters().values().forEach(config -> {
            Thread thread = new Thread(() -> loop(new PatroniSampler(config, timeout), store, interval),
                    "patroni-" + config.name());
            thread.setDaemon(true);
            threads.add(thread);
        });
        threads.forEach(Thread::start);
    }

    private void loop(PatroniSampler sampler, PatroniStore store, Duration interval) {
        try (sampler) {
            while (running) {
                long started = System.nanoTime();
                try {
                    store.put(sampler.tick());
                } catch (RuntimeException e) {
                    LOG.error("publishing a Patroni sample failed", e);
                }
                long sleepMillis = interval.toMillis() - (System.nanoTime() - started) / 1_000_000;
                Thread.sleep(Math.max(0, sleepMillis));
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @PreDestroy
    void stop() {
        running = false;
        threads.forEach(Thread::interrupt);
    }
}
