package io.pgbluegreen.mode.patroni.safetynet;

import io.pgbluegreen.agent.AgentClient;
import io.pgbluegreen.patroni.DynamicConfig;
import io.pgbluegreen.patroni.PatroniClients;

import io.pgbluegreen.config.DeploymentConfig;
import io.pgbluegreen.config.SamplingConfig;
import io.pgbluegreen.config.TargetConfig;
import io.pgbluegreen.config.Topology;
import io.pgbluegreen.journal.Journal;
import io.pgbluegreen.journal.StepFact;
import io.pgbluegreen.operation.Refusal;
import io.pgbluegreen.patroni.ClusterResponse;
import io.pgbluegreen.patroni.PatroniMemberClient;
import io.pgbluegreen.postgres.Lsn;
import io.pgbluegreen.postgres.TargetSession;
import io.micronaut.json.JsonMapper;

import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * One hold: every check first (a refusal changes nothing), then, each step journaled before and after it runs:
 * {@code enter_maintenance} (unless the cluster is in maintenance mode already), {@code pause_replay} on the
 * member, {@code mark} on the leader, {@code verify_hold} over {@value HoldCheck#LOOPS} HA loops. A failure part
 * way undoes what this hold did ({@code resume_replay}, {@code leave_maintenance} if it entered it) and says so.
 */
final class HoldRun {
    private final Topology topology;
    private final Journal journal;
    private final JsonMapper json;
    private final MemberAgents agents;

    HoldRun(Topology topology, Journal journal, JsonMapper json, MemberAgents agents) {
        this.topology = topology;
        this.journal = journal;
        this.json = json;
        this.agents = agents;
    }

    NetOutcome run(DeploymentConfig deployment, String name, SafetyNetRecord record) {
        Refusal held = HoldChecks.alreadyHeld(record);
        if (held != null) {
            return new NetOutcome.Refused(held);
        }
        SamplingConfig sampling = topology.sampling();
        var clusterConfig = topology.patroniClusters().get(deployment.patroniCluster());
        try (PatroniClients patroni = new PatroniClients(clusterConfig, sampling.httpTimeout(), json)) {
            ClusterResponse cluster;
            DynamicConfig config;
            try {
                cluster = patroni.cluster();
                config = patroni.config();
            } catch (PatroniClients.Unanswered e) {
                return unreachable(e.getMessage());
            }
            Optional<ClusterResponse.Member> found = cluster.memberList().stream().filter(m -> name.equals(m.name())).findFirst();
            Optional<PatroniMemberClient> memberApi = found.flatMap(patroni::of);
            Refusal refusal = HoldChecks.cluster(cluster, name, memberApi.isPresent());
            List<String> otherNets = refusal == null ? OtherNets.pausedMembers(cluster, patroni, null) : List.of();
            if (refusal == null && !otherNets.isEmpty()) {
                refusal = HoldChecks.refuse("no_other_net_on_the_cluster", "replay paused on " + otherNets, "none",
                        "WAL replay is paused on " + otherNets + " (a safety net of another deployment or daemon):"
                                + " one net per cluster, since maintenance mode and the timeline are the cluster's");
            }
            refusal = refusal != null ? refusal : HoldChecks.loopWait(config.loopWaitDuration());
            if (refusal != null) {
                return new NetOutcome.Refused(refusal);
            }
            ClusterResponse.Member member = found.get();
            ClusterResponse.Member leader = HoldChecks.leader(cluster).orElseThrow();
            if (leader.host() == null || leader.port() == null) {
                return new NetOutcome.Refused(HoldChecks.refuse("leader_address_known", null, "host and port",
                        "/cluster gives no PostgreSQL host and port for the leader " + leader.name()));
            }
            TargetConfig memberTarget = MemberConnections.forMember(topology, deployment, name, member.host(), member.port(), false);
            TargetConfig leaderTarget = MemberConnections.forMember(topology, deployment, leader.name(), leader.host(),
                    leader.port(), true);
            try (TargetSession memberDb = new TargetSession(memberTarget, sampling);
                 TargetSession leaderDb = new TargetSession(leaderTarget, sampling)) {
                ReplicaState replica;
                LeaderState primary;
                try {
                    replica = ReplicaState.read(memberDb);
                } catch (SQLException e) {
                    return unreachable("cannot read " + name + "'s PostgreSQL at " + member.host() + ":" + member.port()
                            + " (target " + memberTarget.name() + "): " + PatroniClients.firstLine(e));
                }
                try {
                    primary = LeaderState.read(leaderDb, name);
                } catch (SQLException e) {
                    return unreachable("cannot read the leader " + leader.name() + "'s PostgreSQL at " + leader.host() + ":"
                            + leader.port() + " (target " + leaderTarget.name() + "): " + PatroniClients.firstLine(e));
                }
                refusal = HoldChecks.servers(name, replica, primary);
                if (refusal != null) {
                    return new NetOutcome.Refused(refusal);
                }
                Plan plan = new Plan(deployment, clusterConfig.name(), cluster, member, leader, memberApi,
                        patroni.of(leader), config.loopWaitDuration(), agents.of(clusterConfig, name));
                return hold(plan, patroni, memberDb, leaderDb);
            }
        }
    }

    private record Plan(DeploymentConfig deployment, String cluster, ClusterResponse state, ClusterResponse.Member member,
                        ClusterResponse.Member leader, Optional<PatroniMemberClient> memberApi,
                        Optional<PatroniMemberClient> leaderApi, Duration loopWait, Optional<AgentClient> agent) {
    }

    private NetOutcome hold(Plan plan, PatroniClients patroni, TargetSession memberDb, TargetSession leaderDb) {
        long started = System.nanoTime();
        String name = plan.member().name();
        NetJournal steps = new NetJournal(journal, plan.deployment().name(), SafetyNetLedger.HOLD);
        boolean weEnter = !plan.state().paused();
        boolean entering = false;
        boolean tagging = false;
        boolean pausing = false;
        String step = "enter_maintenance";
        try {
            steps.started(step, new StepFact.SafetyNetTarget(plan.cluster(), name, plan.member().host(), plan.member().port()),
                    new StepFact.SafetyNetMaintenance(weEnter));
            entering = weEnter;
            if (weEnter) {
                MaintenanceMode.set(patroni, true, plan.leaderApi(), plan.memberApi());
            }
            steps.finished(step, weEnter ? "maintenance mode on, seen by /cluster and by " + name
                    : "the cluster was in maintenance mode already: left on at release");

            if (plan.agent().isPresent()) {
                step = "exclude_member";
                steps.started(step, new StepFact.SafetyNetTags(name, true));
                tagging = true;
                steps.finished(step, MemberTags.apply(plan.agent().get(), plan.memberApi().orElseThrow(), patroni, true));
            }

            step = "pause_replay";
            steps.started(step, new StepFact.SafetyNetReplayPaused(name, ""));
            pausing = true;
            Lsn pausedAt = MemberReplay.pause(memberDb);
            Instant heldSince = Instant.now();
            steps.finished(step, "replay on " + name + " paused at " + pausedAt.text(),
                    new StepFact.SafetyNetReplayPaused(name, pausedAt.text()));

            step = "mark";
            steps.started(step);
            StepFact.SafetyNetMarked marked = Marker.mark(leaderDb, plan.deployment().name(), name);
            steps.finished(step, "marker xid " + marked.xid() + " committed between " + marked.lsnBefore() + " and "
                    + marked.lsn() + "; restore point " + marked.restorePoint() + " at " + marked.restorePointLsn(), marked);
            if (pausedAt.bytes() > Lsn.parse(marked.lsnBefore()).bytes()) {
                throw new StepFailed(name + " had replayed up to " + pausedAt.text() + ", past the marker's start "
                        + marked.lsnBefore());
            }

            step = "verify_hold";
            steps.started(step);
            long verifyStart = System.nanoTime();
            HoldCheck.verify(memberDb, patroni, pausedAt, plan.loopWait());
            long verifiedMillis = (System.nanoTime() - verifyStart) / 1_000_000;
            steps.finished(step, "replay on " + name + " still paused at " + pausedAt.text() + " and maintenance mode on after "
                    + verifiedMillis + " ms (" + HoldCheck.LOOPS + " HA loops of " + plan.loopWait().toSeconds() + " s)");

            StepFact.SafetyNetHeld held = new StepFact.SafetyNetHeld(plan.cluster(), name, plan.member().host(),
                    plan.member().port(), plan.leader().name(), marked.xid(), marked.lsnBefore(), marked.lsn(),
                    marked.restorePoint(), marked.restorePointLsn(), marked.timeline(), pausedAt.text(), heldSince, weEnter);
            steps.ended(SafetyNetLedger.HELD, "safety net held on " + name + " at xid " + marked.xid(), held);
            long millis = (System.nanoTime() - started) / 1_000_000;
            return new NetOutcome.Done(new HoldAnswer(plan.deployment().name(), steps.id(), plan.cluster(), name,
                    plan.leader().name(), marked.xid(), marked.lsn(), marked.lsnBefore(), marked.restorePoint(),
                    marked.restorePointLsn(), marked.timeline(), pausedAt.text(), heldSince, weEnter, verifiedMillis,
                    HoldCheck.LOOPS, millis, SafetyNetCost.of(name, weEnter, plan.agent().isPresent())));
        } catch (StepFailed | SQLException | RuntimeException e) {
            String why = step + " failed: " + PatroniClients.firstLine(e);
            steps.failed(step, why);
            return undo(plan, patroni, memberDb, steps, why, pausing, tagging, entering);
        }
    }

    /** Takes back what this hold did, newest first, each journaled; says what was undone and what is left. */
    private NetOutcome undo(Plan plan, PatroniClients patroni, TargetSession memberDb, NetJournal steps, String why,
                            boolean paused, boolean tagged, boolean entered) {
        String name = plan.member().name();
        List<String> undone = new ArrayList<>();
        List<String> left = new ArrayList<>();
        if (paused) {
            steps.started("resume_replay");
            try {
                MemberReplay.resume(memberDb);
                steps.finished("resume_replay", "replay on " + name + " resumed", new StepFact.SafetyNetReplayResumed(name));
                undone.add("WAL replay on " + name + " resumed");
            } catch (StepFailed | SQLException | RuntimeException e) {
                steps.failed("resume_replay", PatroniClients.firstLine(e));
                left.add("WAL replay on " + name + " may still be paused (" + PatroniClients.firstLine(e)
                        + "): SELECT pg_wal_replay_resume() there");
            }
        }
        if (tagged) {
            steps.started("restore_tags", new StepFact.SafetyNetTags(name, false));
            try {
                steps.finished("restore_tags", MemberTags.apply(plan.agent().orElseThrow(), plan.memberApi().orElseThrow(),
                        patroni, false));
                undone.add("the exclusion tags on " + name + " removed");
            } catch (StepFailed | RuntimeException e) {
                steps.failed("restore_tags", PatroniClients.firstLine(e));
                left.add("the exclusion tags may still be set on " + name + " (" + PatroniClients.firstLine(e)
                        + "): remove the pg-bluegreen block from its Patroni configuration file and reload it");
            }
        }
        if (entered) {
            steps.started("leave_maintenance");
            try {
                MaintenanceMode.set(patroni, false, plan.leaderApi(), plan.memberApi());
                steps.finished("leave_maintenance", "maintenance mode off", new StepFact.SafetyNetMaintenanceLeft());
                undone.add("maintenance mode left");
            } catch (StepFailed | RuntimeException e) {
                steps.failed("leave_maintenance", PatroniClients.firstLine(e));
                left.add("the cluster may still be in maintenance mode (" + PatroniClients.firstLine(e)
                        + "): patronictl resume");
            }
        }
        String detail = "the safety net was not held: " + why + "; undone: "
                + (undone.isEmpty() ? "nothing needed undoing" : String.join(", ", undone))
                + (left.isEmpty() ? "" : "; LEFT: " + String.join("; ", left) + " (or DELETE .../safety-net)");
        steps.ended(left.isEmpty() ? SafetyNetLedger.UNDONE : SafetyNetLedger.FAILED, detail);
        return new NetOutcome.Failed(detail, !left.isEmpty());
    }

    private static NetOutcome unreachable(String message) {
        return new NetOutcome.Refused(Refusal.of(Refusal.Cause.UNREACHABLE, message));
    }
}
