package io.pgbluegreen.mode.patroni.safetynet;

import io.micronaut.context.annotation.Context;
import io.micronaut.context.annotation.Value;
import io.micronaut.context.annotation.Requires;
import io.micronaut.json.JsonMapper;
import io.pgbluegreen.config.DeploymentConfig;
import io.pgbluegreen.config.DeploymentMode;
import io.pgbluegreen.config.GateConfig;
import io.pgbluegreen.config.Topology;
import io.pgbluegreen.gate.Thresholds;
import io.pgbluegreen.journal.Journal;
import io.pgbluegreen.operation.OperationService;
import io.pgbluegreen.operation.Outcome;
import io.pgbluegreen.operation.Refusal;
import io.pgbluegreen.patroni.PatroniStore;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

/**
 * The safety net of each Patroni deployment: hold, release, and what is held now. What is held is known from the
 * journal alone (read at start, re-read after each change), so a restarted daemon reports a net it held before.
 * A hold or release is admitted like any operation: one request per deployment at a time, none while another
 * operation runs on it or the daemon stops.
 */
@Requires(property = "pg-bluegreen.agent.enabled", notEquals = "true")
@Context
public class SafetyNetService {
    private final Topology topology;
    private final Journal journal;
    private final OperationService operations;
    private final PatroniStore patroni;
    private final GateConfig gate;
    private final HoldRun holds;
    private final ReleaseRun releases;
    private final Map<String, SafetyNetRecord> records = new ConcurrentHashMap<>();

    public SafetyNetService(Topology topology, Journal journal, OperationService operations, PatroniStore patroni,
                            GateConfig gate, JsonMapper json, @Value("${pg-bluegreen.api.token-file:}") String tokenFile) {
        this.topology = topology;
        this.journal = journal;
        this.operations = operations;
        this.patroni = patroni;
        this.gate = gate;
        MemberAgents agents = new MemberAgents(tokenFile);
        this.holds = new HoldRun(topology, journal, json, agents);
        this.releases = new ReleaseRun(topology, journal, json, agents);
        reload();
    }

    /** What the journal says about the deployment's safety net (for the gate, a rollback, the monitor). */
    public SafetyNetRecord record(String deployment) {
        return records.getOrDefault(deployment, SafetyNetRecord.NONE);
    }

    public NetOutcome hold(DeploymentConfig deployment, String member) {
        return admitted(deployment, () -> holds.run(deployment, member, record(deployment.name())));
    }

    public NetOutcome release(DeploymentConfig deployment) {
        Thresholds thresholds = Thresholds.defaults(gate).with(deployment.gate());
        return admitted(deployment, () -> releases.run(deployment, record(deployment.name()), thresholds.catchUpTimeout()));
    }

    /** GET: the held net with live figures, or none (with anything an earlier attempt left). */
    public SafetyNetView view(DeploymentConfig deployment) {
        SafetyNetRecord record = record(deployment.name());
        if (record.held() == null) {
            return SafetyNetView.none(deployment.name(), record);
        }
        return SafetyNetView.held(deployment.name(), record.held(), SafetyNetFigures.read(topology, deployment,
                record.held().net(), patroni.get(record.held().net().cluster())));
    }

    /** A refusal for a deployment that has no safety net to offer (null: it has). */
    public static Refusal notOffered(DeploymentConfig deployment) {
        return deployment.deploymentMode() == DeploymentMode.PATRONI ? null : Refusal.of(Refusal.Cause.NOT_OFFERED,
                "deployment " + deployment.name() + " is in " + deployment.deploymentMode().label()
                        + " mode: a safety net needs a Patroni deployment (mode: patroni)");
    }

    private NetOutcome admitted(DeploymentConfig deployment, Supplier<NetOutcome> work) {
        Refusal notOffered = notOffered(deployment);
        if (notOffered != null) {
            return new NetOutcome.Refused(notOffered);
        }
        NetOutcome[] result = new NetOutcome[1];
        // oneAtATime answers a Refusal when another request holds the deployment; our own result travels beside it
        Outcome admission = operations.oneAtATime(deployment, () -> {
            Refusal busy = operations.cannotStart(deployment);
            if (busy != null) {
                return busy;
            }
            try {
                result[0] = work.get();
            } finally {
                reload();
            }
            return null;
        });
        return admission instanceof Refusal refusal ? new NetOutcome.Refused(refusal) : result[0];
    }

    /** Re-reads the nets from the journal (after a change, or a rollback that consumed one). */
    public void reload() {
        var entries = journal.readAll();
        topology.deployments().values().stream().filter(d -> d.deploymentMode() == DeploymentMode.PATRONI)
                .forEach(d -> records.put(d.name(), SafetyNetLedger.read(entries, d.name())));
    }
}
