package io.pgbluegreen.gate;

import io.pgbluegreen.config.DeploymentConfig;
import io.pgbluegreen.config.GateConfig;
import io.pgbluegreen.config.PatroniClusterConfig;
import io.pgbluegreen.config.Topology;
import io.pgbluegreen.patroni.PatroniClusterState;
import io.pgbluegreen.patroni.PatroniSampler;
import io.pgbluegreen.patroni.PatroniStore;
import io.pgbluegreen.gate.facts.FactsCollector;
import io.pgbluegreen.gate.facts.SideFacts;
import io.pgbluegreen.pgbouncer.PgBouncerEndpoint;
import io.pgbluegreen.pgbouncer.PgBouncerFacts;
import io.pgbluegreen.pgbouncer.PgBouncerSettings;
import io.pgbluegreen.pgbouncer.PgBouncerSwitch;
import io.pgbluegreen.config.JdbcAddress;
import io.pgbluegreen.sampling.DeploymentLag;
import io.pgbluegreen.sampling.DeploymentLagTracker;
import io.pgbluegreen.sampling.FreshSample;
import io.pgbluegreen.sampling.SnapshotStore;
import io.pgbluegreen.sampling.TargetState;
import io.pgbluegreen.postgres.ErrorClass;
import jakarta.annotation.PreDestroy;
import jakarta.inject.Singleton;

import java.sql.SQLException;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Gathers a gate's inputs and asks {@link GateEvaluator}. Two flavours: {@link #fromSamples} judges the cached
 * samples (what GET .../gate and the gate metrics show: a stale sample is UNKNOWN), {@link #live} samples both
 * sides afresh first (what a cutover must use right before it changes anything). Facts are always read live.
 */
@Singleton
public class GateService {
    private final Topology topology;
    private final SnapshotStore store;
    private final GateConfig config;
    private final SubscriptionErrorHistory errors;

    private final DeploymentLagTracker lags;
    private final ModeGates modes;
    private final PatroniStore patroni;
    private final Map<String, PgBouncerSwitch> pgbouncers = new ConcurrentHashMap<>();
    private final Map<String, CompletableFuture<Verdict>> inFlight = new ConcurrentHashMap<>();
    /**
     * Longest wait for an evaluation another caller started: each of its reads is bounded by the connect, socket and
     * statement timeouts already; this only keeps a joiner from waiting forever on a bug.
     */
    static final Duration SHARED_WAIT = Duration.ofSeconds(120);

    public GateService(Topology topology, SnapshotStore store, GateConfig config, SubscriptionErrorHistory errors,
                       DeploymentLagTracker lags, ModeGates modes, PatroniStore patroni) {
        this.lags = lags;
        this.modes = modes;
        this.patroni = patroni;
        this.topology = topology;
        this.store = store;
        this.config = config;
        this.errors = errors;
    }

    public Thresholds thresholds(DeploymentConfig deployment) {
        return Thresholds.defaults(config).with(deployment.gate());
    }

    /**
     * The verdict on the cached samples, with live facts. Concurrent callers for one deployment (API requests, the
     * gate monitor) share one evaluation: a hung server costs one bounded evaluation, not one per request. Another
     * deployment's evaluation never waits for this one.
     */
    public Verdict fromSamples(DeploymentConfig deployment) {
        CompletableFuture<Verdict> mine = new CompletableFuture<>();
        CompletableFuture<Verdict> shared = inFlight.putIfAbsent(deployment.name(), mine);
        if (shared != null) {
            return await(shared, deployment);
        }
        try {
            mine.complete(evaluateWithFacts(deployment, store.get(deployment.blue()).orElse(null),
                    store.get(deployment.green()).orElse(null), lags.latest(deployment.name()),
                    deployment.patroniCluster() == null ? null : patroni.get(deployment.patroniCluster()).orElse(null))
                    .verdict());
        } catch (RuntimeException e) {
            mine.completeExceptionally(e);
        } finally {
            inFlight.remove(deployment.name(), mine);
        }
        return await(mine, deployment);
    }

    private Verdict await(CompletableFuture<Verdict> evaluation, DeploymentConfig deployment) {
        try {
            return evaluation.get(SHARED_WAIT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for the gate of " + deployment.name(), e);
        } catch (ExecutionException e) {
            throw e.getCause() instanceof RuntimeException r ? r : new IllegalStateException(e.getCause());
        } catch (TimeoutException e) {
            throw new IllegalStateException("the gate evaluation of " + deployment.name() + " took longer than "
                    + SHARED_WAIT.toSeconds() + "s", e);
        }
    }

    public Verdict live(DeploymentConfig deployment) {
        return liveWithFacts(deployment).verdict();
    }

    /** A live verdict and the blue facts it judged (a cutover keeps blue's tables to spot one added after the gate). */
    public record Live(Verdict verdict, SideFacts blueFacts) {
    }

    public Live liveWithFacts(DeploymentConfig deployment) {
        TargetState blue = FreshSample.take(topology.targets().get(deployment.blue()), topology.sampling());
        TargetState green = FreshSample.take(topology.targets().get(deployment.green()), topology.sampling());
        return evaluateWithFacts(deployment, blue, green, lags.lag(deployment, blue, green), livePatroni(deployment));
    }

    /** The Patroni cluster's state read now (null: no Patroni deployment); a sampler of its own, bounded by its timeouts. */
    private PatroniClusterState livePatroni(DeploymentConfig deployment) {
        PatroniClusterConfig cluster = deployment.patroniCluster() == null ? null
                : topology.patroniClusters().get(deployment.patroniCluster());
        if (cluster == null) {
            return null;
        }
        try (PatroniSampler sampler = new PatroniSampler(cluster, topology.sampling().httpTimeout())) {
            return sampler.tick();
        }
    }

    private Live evaluateWithFacts(DeploymentConfig deployment, TargetState blue, TargetState green, DeploymentLag lag,
                                   PatroniClusterState patroniState) {
        Facts blueFacts = facts(deployment.blue(), true);
        Facts greenFacts = facts(deployment.green(), false);
        GateInput input = new GateInput(deployment, thresholds(deployment), Instant.now(), blue, green, lag,
                blueFacts.facts(), blueFacts.error(), greenFacts.facts(), greenFacts.error(), errors.of(deployment.green()),
                pgbouncer(deployment), patroniState);
        return new Live(GateEvaluator.evaluate(input, modes.of(deployment.deploymentMode())), blueFacts.facts());
    }

    private PgBouncerFacts pgbouncer(DeploymentConfig deployment) {
        PgBouncerSettings settings = PgBouncerSettings.of(deployment.pgbouncer());
        if (settings == null) {
            return null;
        }
        JdbcAddress blue = JdbcAddress.parse(topology.targets().get(deployment.blue()).url());
        // one held console session per deployment: no psql start and PgBouncer login at every gate interval
        PgBouncerSwitch pgbouncer = pgbouncers.computeIfAbsent(deployment.name(),
                name -> new PgBouncerSwitch(settings, topology.sampling().socketTimeout()));
        return PgBouncerFacts.collect(pgbouncer, new PgBouncerEndpoint(blue.host(), blue.port(), blue.database()));
    }

    @PreDestroy
    void close() {
        pgbouncers.values().forEach(PgBouncerSwitch::close);
    }

    private record Facts(SideFacts facts, String error) {
    }

    /** {@code otherDatabases}: also what the server's other databases hold (blue: a move leaves them behind). */
    private Facts facts(String target, boolean otherDatabases) {
        try {
            return new Facts(FactsCollector.collect(topology.targets().get(target), topology.sampling(), otherDatabases), null);
        } catch (SQLException | RuntimeException e) {
            return new Facts(null, ErrorClass.of(e).label() + ": " + e.getMessage());
        }
    }
}
