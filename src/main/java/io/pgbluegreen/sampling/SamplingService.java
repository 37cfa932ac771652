package io.pgbluegreen.sampling;

import io.micronaut.context.annotation.Context;
import io.micronaut.context.annotation.Requires;
import io.pgbluegreen.config.Topology;
import jakarta.annotation.PreDestroy;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * One loop per target, each on its own thread and schedule, so a target that hangs (up to the socket timeout)
 * never delays another. A tick that overruns its interval skips the missed ticks instead of bunching up.
 */
@Requires(property = "pg-bluegreen.agent.enabled", notEquals = "true")
@Context
public class SamplingService {
    private static final Logger LOG = LoggerFactory.getLogger(SamplingService.class);
    /** Samplers hold a few frames of JDBC code; a small stack keeps hundreds of targets cheap. */
    private static final long THREAD_STACK_BYTES = 512 * 1024;
    private final List<Thread> threads = new ArrayList<>();
    private volatile boolean running = true;

    public SamplingService(Topology topology, SnapshotStore store) {
        Duration interval = topology.sampling().sampleInterval();
        topology.targets().values().forEach(config -> {
            TargetSampler sampler = new TargetSampler(config, topology.sampling(), Clock.systemUTC());
            Thread thread = new Thread(null, () -> loop(config.name(), sampler, store, interval),
                    "sampler-" + config.name(), THREAD_STACK_BYTES);
            thread.setDaemon(true);
            threads.add(thread);
        });
        threads.forEach(Thread::start);
        LOG.info("sampling {} target(s) every {}", threads.size(), interval);
    }

    private void loop(String target, TargetSampler sampler, SnapshotStore store, Duration interval) {
        long intervalNanos = interval.toNanos();
        long next = System.nanoTime();
        try (sampler) {
            while (running) {
                TargetState previous = store.get(target).orElseGet(() -> TargetState.never(target));
                try {
                    store.put(sampler.tick(previous));
                } catch (RuntimeException e) {
                    // a listener failed (a bug); the loop must outlive it or the target would silently freeze
                    LOG.error("publishing the sample of {} failed", target, e);
                }
                next += intervalNanos;
                long now = System.nanoTime();
                if (next < now) {
                    next = now + intervalNanos - ((now - next) % intervalNanos);
                }
                Thread.sleep(Math.max(0, (next - now) / 1_000_000));
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
