package io.pgbluegreen.gate;

import io.pgbluegreen.config.DeploymentConfig;
import io.pgbluegreen.config.GateConfig;
import io.pgbluegreen.config.Topology;
import io.pgbluegreen.gate.facts.FactsCollector;
import io.pgbluegreen.gate.facts.SideFacts;
import io.pgbluegreen.pgbouncer.PgBouncerEndpoint;
import io.pgbluegreen.pgbouncer.PgBouncerFacts;
import io.pgbluegreen.pgbouncer.PgBouncerSettings;
import io.pgbluegreen.pgbouncer.PgBouncerSwitch;
import io.pgbluegreen.target.JdbcAddress;
import io.pgbluegreen.sampling.DeploymentLag;
import io.pgbluegreen.sampling.DeploymentLagTracker;
import io.pgbluegreen.sampling.FreshSample;
import io.pgbluegreen.sampling.SnapshotStore;
import io.pgbluegreen.sampling.TargetState;
import io.pgbluegreen.target.ErrorClass;
import jakarta.annotation.PreDestroy;
import jakarta.inject.Singleton;

import java.sql.SQLException;
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
    private final Map<String, PgBouncerSwitch> pgbouncers = new ConcurrentHashMap<>();

    public GateService(Topology topology, SnapshotStore store, GateConfig config, SubscriptionErrorHistory errors,
                       DeploymentLagTracker lags) {
        this.lags = lags;
        this.topology = topology;
        this.store = store;
        this.config = config;
        this.errors = errors;
    }

    public Thresholds thresholds(DeploymentConfig deployment) {
        return Thresholds.defaults(config).with(deployment.gate());
    }

    public Verdict fromSamples(DeploymentConfig deployment) {
        return evaluate(deployment, store.get(deployment.blue()).orElse(null), store.get(deployment.green()).orElse(null),
                lags.latest(deployment.name()));
    }

    public Verdict live(DeploymentConfig deployment) {
        TargetState blue = FreshSample.take(topology.targets().get(deployment.blue()), topology.sampling());
        TargetState green = FreshSample.take(topology.targets().get(deployment.green()), topology.sampling());
        return evaluate(deployment, blue, green, DeploymentLag.of(deployment, blue, green, lags.timeline(deployment.name())));
    }

    private Verdict evaluate(DeploymentConfig deployment, TargetState blue, TargetState green, DeploymentLag lag) {
        Facts blueFacts = facts(deployment.blue(), true);
        Facts greenFacts = facts(deployment.green(), false);
        GateInput input = new GateInput(deployment, thresholds(deployment), Instant.now(), blue, green, lag,
                blueFacts.facts(), blueFacts.error(), greenFacts.facts(), greenFacts.error(), errors.of(deployment.green()),
                pgbouncer(deployment));
        return GateEvaluator.evaluate(input);
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
