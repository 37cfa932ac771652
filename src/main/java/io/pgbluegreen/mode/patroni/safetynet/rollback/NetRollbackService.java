package io.pgbluegreen.mode.patroni.safetynet.rollback;

import io.micronaut.context.annotation.Value;
import io.micronaut.json.JsonMapper;
import io.pgbluegreen.agent.AgentClient;
import io.pgbluegreen.config.DeploymentConfig;
import io.pgbluegreen.config.GateConfig;
import io.pgbluegreen.config.PatroniClusterConfig;
import io.pgbluegreen.config.TargetConfig;
import io.pgbluegreen.config.Topology;
import io.pgbluegreen.gate.CheckResult;
import io.pgbluegreen.gate.Thresholds;
import io.pgbluegreen.journal.Journal;
import io.pgbluegreen.journal.StepFact;
import io.pgbluegreen.mode.patroni.safetynet.MemberAgents;
import io.pgbluegreen.mode.patroni.safetynet.MemberConnections;
import io.pgbluegreen.mode.patroni.safetynet.SafetyNetRecord;
import io.pgbluegreen.mode.patroni.safetynet.SafetyNetService;
import io.pgbluegreen.operation.Operation;
import io.pgbluegreen.operation.OperationContext;
import io.pgbluegreen.operation.OperationKind;
import io.pgbluegreen.operation.OperationService;
import io.pgbluegreen.operation.Outcome;
import io.pgbluegreen.operation.Refusal;
import io.pgbluegreen.operation.ModeState;
import io.pgbluegreen.operation.StepRunner;
import io.pgbluegreen.patroni.ClusterResponse;
import io.pgbluegreen.patroni.DynamicConfig;
import io.pgbluegreen.patroni.PatroniClients;
import io.pgbluegreen.postgres.Lsn;
import io.pgbluegreen.postgres.TargetSession;
import jakarta.inject.Singleton;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * POST /deployments/{name}/safety-net/rollback: admitted like any operation (one per deployment, none while the
 * daemon stops), then its gate (reads only), then the operation journals that it consumes the net and runs its
 * steps in the background ({@link NetRollbackRunner}); the answer is 202 with the operation.
 */
@Singleton
public class NetRollbackService {
    /** Targeted recovery replays at most what the member received while held; generous for a large deploy. */
    static final Duration RECOVERY_TIMEOUT = Duration.ofMinutes(10);
    static final Duration PROMOTION_TIMEOUT = Duration.ofSeconds(60);
    static final Duration REJOIN_TIMEOUT = Duration.ofMinutes(3);
    /** Patroni's default ttl when the DCS holds none. */
    static final int DEFAULT_TTL_SECONDS = 30;

    private final Topology topology;
    private final SafetyNetService nets;
    private final OperationService operations;
    private final StepRunner runner;
    private final Journal journal;
    private final GateConfig gate;
    private final JsonMapper json;
    private final MemberAgents agents;

    public NetRollbackService(Topology topology, SafetyNetService nets, OperationService operations, StepRunner runner,
                              Journal journal, GateConfig gate, JsonMapper json,
                              @Value("${pg-bluegreen.api.token-file:}") String tokenFile) {
        this.topology = topology;
        this.nets = nets;
        this.operations = operations;
        this.runner = runner;
        this.journal = journal;
        this.gate = gate;
        this.json = json;
        this.agents = new MemberAgents(tokenFile);
    }

    public Outcome rollback(DeploymentConfig deployment) {
        Refusal notOffered = SafetyNetService.notOffered(deployment);
        if (notOffered != null) {
            return notOffered;
        }
        return operations.oneAtATime(deployment, () -> admit(deployment));
    }

    private Outcome admit(DeploymentConfig deployment) {
        Refusal busy = operations.cannotStart(deployment);
        if (busy != null) {
            return busy;
        }
        SafetyNetRecord record = nets.record(deployment.name());
        if (record.held() == null) {
            return Refusal.of(Refusal.Cause.NOTHING_TO_DO, "no safety net is held on " + deployment.name()
                    + (record.consumed() == null ? "" : ": the last one (" + record.consumed().holdId()
                    + ") was used by the rollback " + record.consumed().operationId() + " (GET /operations/"
                    + record.consumed().operationId() + ")") + "; POST /deployments/" + deployment.name()
                    + "/safety-net holds one");
        }
        StepFact.SafetyNetHeld net = record.held().net();
        PatroniClusterConfig cluster = topology.patroniClusters().get(net.cluster());
        if (cluster == null) {
            return Refusal.of(Refusal.Cause.UNSAFE, "the safety net was held on Patroni cluster " + net.cluster()
                    + ", which is no longer configured");
        }
        if (agents.token(cluster).isEmpty()) {
            return Refusal.of(Refusal.Cause.UNSAFE, "the host agents need a token, and the daemon has none to send"
                    + " (pg-bluegreen.patroni." + cluster.name() + ".agent-token-file, or pg-bluegreen.api.token-file)");
        }
        AgentClient memberAgent = agents.of(cluster, net.member()).orElse(null);
        AgentClient leaderAgent = agents.of(cluster, net.leader()).orElse(null);
        if (memberAgent == null || leaderAgent == null) {
            closeQuietly(memberAgent, leaderAgent);
            String missing = memberAgent == null ? net.member() : net.leader();
            return new Refusal(Refusal.Cause.GATE, "the safety-net rollback gate does not pass", List.of(
                    CheckResult.fail("agents_configured", "no agent for " + missing, "an agent per member",
                            "no host agent is configured for " + missing + " (pg-bluegreen.patroni." + cluster.name()
                                    + ".agents." + missing + "): the rollback stops and starts it through one")));
        }
        PatroniClients patroni = new PatroniClients(cluster, topology.sampling().httpTimeout(), json);
        Map<String, AgentClient> others = new LinkedHashMap<>();
        Gated gated = null;
        try {
            gated = gate(deployment, record, cluster, memberAgent, leaderAgent, others, patroni);
        } finally {
            // a refusal (or a failure reading the gate) leaves nothing open
            if (!(gated instanceof Planned)) {
                closeQuietly(memberAgent, leaderAgent);
                others.values().forEach(AgentClient::close);
                patroni.close();
            }
        }
        if (gated instanceof Refused refused) {
            return refused.refusal();
        }
        NetRollbackPlan plan = ((Planned) gated).plan();
        Operation op = Operation.start(deployment.name(), OperationKind.SAFETY_NET_ROLLBACK);
        operations.started(op);
        Thresholds thresholds = Thresholds.defaults(gate).with(deployment.gate());
        OperationContext context = new OperationContext(op, deployment, topology, thresholds, journal, ModeState.NONE);
        // from this line on the net reads as consumed (a restart too): no second rollback, no release of it
        context.remember(NetRollbackRunner.PLAN, new StepFact.SafetyNetRollbackStarted(plan.holdId(), net.cluster(), net.member(),
                net.leader(), net.xid(), plan.memberTagged()));
        nets.reload();
        operations.runInBackground(context, () -> {
            try (plan; patroni; context) {
                new NetRollbackRunner(runner).run(context, plan, patroni);
            } finally {
                nets.reload();
            }
        });
        return new Outcome.Accepted(op);
    }

    /** The gate's answer: a refusal, or what the rollback will act on. */
    private sealed interface Gated {
    }

    private record Refused(Refusal refusal) implements Gated {
    }

    private record Planned(NetRollbackPlan plan) implements Gated {
    }

    /** Reads the gate's facts (nothing changes); a refusal names every failing check. */
    private Gated gate(DeploymentConfig deployment, SafetyNetRecord record, PatroniClusterConfig cluster,
                         AgentClient memberAgent, AgentClient leaderAgent, Map<String, AgentClient> others,
                         PatroniClients patroni) {
        StepFact.SafetyNetHeld net = record.held().net();
        ClusterResponse state;
        DynamicConfig dynamic;
        try {
            state = patroni.cluster();
            dynamic = patroni.config();
        } catch (PatroniClients.Unanswered e) {
            return new Refused(Refusal.of(Refusal.Cause.UNREACHABLE, e.getMessage()));
        }
        NetRollbackGate checks = new NetRollbackGate();
        checks.cluster(state, net);
        TargetConfig memberTarget = MemberConnections.forMember(topology, deployment, net.member(), net.host(),
                net.port(), false);
        ClusterResponse.Member leader = state.memberList().stream().filter(m -> m.name().equals(net.leader()))
                .findFirst().orElse(null);
        TargetConfig leaderTarget = leader == null || leader.host() == null || leader.port() == null ? null
                : MemberConnections.forMember(topology, deployment, net.leader(), leader.host(), leader.port(), true);
        if (leaderTarget == null) {
            checks.fail("leader_address_known", "/cluster gives no PostgreSQL host and port for " + net.leader());
        }
        Lsn replay;
        try (TargetSession member = new TargetSession(memberTarget, topology.sampling())) {
            replay = checks.member(member, net);
        }
        checks.agent("member_agent", net.member(), memberAgent, true);
        checks.agent("leader_agent", net.leader(), leaderAgent, true);
        for (ClusterResponse.Member other : state.memberList()) {
            if (other.name().equals(net.member()) || other.name().equals(net.leader())) {
                continue;
            }
            if (patroni.of(other).isEmpty()) {
                checks.fail("other_members_api", other.name() + "'s Patroni REST API is not among the configured members"
                        + " (pg-bluegreen.patroni." + cluster.name() + ".members): the rollback must reload it after tagging");
            }
            AgentClient agent = agents.of(cluster, other.name()).orElse(null);
            if (agent == null) {
                checks.fail("other_members_agents", "no host agent is configured for " + other.name() + " (pg-bluegreen"
                        + ".patroni." + cluster.name() + ".agents." + other.name() + "): the rollback tags every other"
                        + " member nofailover while the leader key changes hands, so that no election can pick one");
            } else {
                others.put(other.name(), agent);
                checks.agent("other_member_agent", other.name(), agent, false);
            }
        }
        checks.walOnMember(memberAgent, net, replay);
        List<CheckResult> failing = checks.failing();
        if (!failing.isEmpty()) {
            return new Refused(new Refusal(Refusal.Cause.GATE, "the safety-net rollback gate does not pass", failing));
        }
        return new Planned(new NetRollbackPlan(deployment, cluster, topology.sampling(), record.held().id(), net,
                memberTarget, leaderTarget, memberAgent, leaderAgent, record.held().tagged(), Map.copyOf(others),
                limits(dynamic)));
    }

    private static NetRollbackPlan.Limits limits(DynamicConfig dynamic) {
        int ttl = dynamic.ttl() == null || dynamic.ttl() <= 0 ? DEFAULT_TTL_SECONDS : dynamic.ttl();
        Duration leaderKey = Duration.ofSeconds(ttl).plus(dynamic.loopWaitDuration().multipliedBy(3)).plusSeconds(30);
        return new NetRollbackPlan.Limits(RECOVERY_TIMEOUT, PROMOTION_TIMEOUT, leaderKey, REJOIN_TIMEOUT);
    }

    private static void closeQuietly(AgentClient... agents) {
        for (AgentClient agent : agents) {
            if (agent != null) {
                agent.close();
            }
        }
    }
}
