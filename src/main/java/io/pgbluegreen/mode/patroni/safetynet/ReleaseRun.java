package io.pgbluegreen.mode.patroni.safetynet;

import io.pgbluegreen.agent.AgentClient;
import io.pgbluegreen.agent.AgentException;
import io.pgbluegreen.patroni.PatroniClients;

import io.micronaut.json.JsonMapper;
import io.pgbluegreen.config.DeploymentConfig;
import io.pgbluegreen.config.TargetConfig;
import io.pgbluegreen.config.Topology;
import io.pgbluegreen.journal.Journal;
import io.pgbluegreen.journal.StepFact;
import io.pgbluegreen.operation.Refusal;
import io.pgbluegreen.patroni.ClusterResponse;
import io.pgbluegreen.patroni.PatroniMemberClient;
import io.pgbluegreen.postgres.Lsn;
import io.pgbluegreen.postgres.TargetSession;

import java.sql.SQLException;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * One release, of a held net or of what a cut-off or failed attempt left: the member's PostgreSQL must answer
 * first (a refusal changes nothing); then {@code resume_replay}, {@code leave_maintenance} (only when this daemon
 * entered it) and {@code catch_up} (the member replays up to the leader's position within the catch-up timeout),
 * each journaled before and after it runs.
 */
final class ReleaseRun {
    private final Topology topology;
    private final Journal journal;
    private final JsonMapper json;
    private final MemberAgents agents;

    ReleaseRun(Topology topology, Journal journal, JsonMapper json, MemberAgents agents) {
        this.topology = topology;
        this.journal = journal;
        this.json = json;
        this.agents = agents;
    }

    NetOutcome run(DeploymentConfig deployment, SafetyNetRecord record, Duration catchUpTimeout) {
        if (record.held() == null && record.leftover() == null) {
            return new NetOutcome.Refused(Refusal.of(Refusal.Cause.NOTHING_TO_DO, "no safety net is held on "
                    + deployment.name() + (record.consumed() == null ? "" : ": the last one was used by the rollback "
                    + record.consumed().operationId() + " (GET /operations/" + record.consumed().operationId() + ")")));
        }
        String holdId = record.held() != null ? record.held().id() : record.leftover().attemptId();
        String cluster = record.held() != null ? record.held().net().cluster() : record.leftover().cluster();
        String name = record.held() != null ? record.held().net().member() : record.leftover().member();
        String host = record.held() != null ? record.held().net().host() : record.leftover().host();
        int port = record.held() != null ? record.held().net().port() : record.leftover().port();
        boolean ours = record.held() != null ? record.held().net().enteredMaintenance() : record.leftover().maintenanceMayBeOurs();
        boolean tagged = record.held() != null ? record.held().tagged() : record.leftover().tagsMayBeSet();
        var clusterConfig = topology.patroniClusters().get(cluster);
        if (clusterConfig == null) {
            return new NetOutcome.Refused(Refusal.of(Refusal.Cause.UNSAFE, "the safety net's Patroni cluster '" + cluster
                    + "' is no longer configured: resume replay on " + name + " and maintenance mode by hand"));
        }
        long started = System.nanoTime();
        try (PatroniClients patroni = new PatroniClients(clusterConfig, topology.sampling().httpTimeout(), json)) {
            ClusterResponse state;
            try {
                state = patroni.cluster();
            } catch (PatroniClients.Unanswered e) {
                return new NetOutcome.Refused(Refusal.of(Refusal.Cause.UNREACHABLE, e.getMessage()));
            }
            Optional<ClusterResponse.Member> member = state.memberList().stream().filter(m -> name.equals(m.name())).findFirst();
            Optional<ClusterResponse.Member> leader = HoldChecks.leader(state);
            Optional<PatroniMemberClient> memberApi = member.flatMap(patroni::of);
            Optional<PatroniMemberClient> leaderApi = leader.flatMap(patroni::of);
            TargetConfig memberTarget = MemberConnections.forMember(topology, deployment, name, host, port, false);
            try (TargetSession memberDb = new TargetSession(memberTarget, topology.sampling())) {
                try {
                    ReplicaState.read(memberDb);
                } catch (SQLException e) {
                    if (member.isPresent() && RUNNING.contains(String.valueOf(member.get().state()))
                            && patroniRuns(memberApi)) {
                        return new NetOutcome.Refused(Refusal.of(Refusal.Cause.UNREACHABLE, "cannot read " + name
                                + "'s PostgreSQL at " + host + ":" + port + ": " + PatroniClients.firstLine(e)));
                    }
                    return releaseLost(deployment, holdId, name, member, state, patroni, leaderApi, ours,
                            tagged ? agents.of(clusterConfig, name) : Optional.empty(), started);
                }
                NetJournal steps = new NetJournal(journal, deployment.name(), SafetyNetLedger.RELEASE);
                String step = "resume_replay";
                try {
                    steps.started(step);
                    MemberReplay.resume(memberDb);
                    steps.finished(step, "replay on " + name + " resumed", new StepFact.SafetyNetReplayResumed(name));
                    List<String> otherNets = ours ? OtherNets.pausedMembers(state, patroni, name) : List.of();
                    if (!otherNets.isEmpty()) {
                        // leaving it would let Patroni resume the other net's member within a loop
                        steps.started("keep_maintenance");
                        steps.finished("keep_maintenance", "maintenance mode kept: replay is paused on " + otherNets);
                    } else if (ours) {
                        step = "leave_maintenance";
                        steps.started(step);
                        MaintenanceMode.set(patroni, false, leaderApi, memberApi);
                        steps.finished(step, "maintenance mode off", new StepFact.SafetyNetMaintenanceLeft());
                    }
                } catch (StepFailed | SQLException | RuntimeException e) {
                    String why = step + " failed: " + PatroniClients.firstLine(e);
                    steps.failed(step, why);
                    steps.ended(SafetyNetLedger.FAILED, why);
                    return new NetOutcome.Failed("the release did not finish: " + why + (step.equals("resume_replay")
                            ? "; the safety net is still held" : "; replay was resumed, maintenance mode may still be on"
                            + " (DELETE again, or patronictl resume)"), true);
                }
                step = "catch_up";
                steps.started(step);
                boolean caughtUp;
                String detail;
                Lsn replayed = null;
                if (leader.isEmpty() || leader.get().host() == null || leader.get().port() == null) {
                    caughtUp = false;
                    detail = "the cluster has no leader now: catch-up not verified";
                    steps.failed(step, detail);
                } else {
                    TargetConfig leaderTarget = MemberConnections.forMember(topology, deployment, leader.get().name(),
                            leader.get().host(), leader.get().port(), true);
                    try (TargetSession leaderDb = new TargetSession(leaderTarget, topology.sampling())) {
                        replayed = CatchUp.await(leaderDb, memberDb, catchUpTimeout);
                        caughtUp = true;
                        detail = name + " replayed up to the leader's position (" + replayed.text() + ")";
                        steps.finished(step, detail);
                    } catch (StepFailed e) {
                        caughtUp = false;
                        detail = e.getMessage();
                        steps.failed(step, detail);
                    }
                }
                if (tagged) {
                    step = "restore_tags";
                    steps.started(step, new StepFact.SafetyNetTags(name, false));
                    try {
                        steps.finished(step, MemberTags.apply(agents.of(clusterConfig, name).orElseThrow(() ->
                                new StepFailed("no agent configured for " + name + " (or no API token) to remove its tags")),
                                memberApi.orElseThrow(), patroni, false));
                    } catch (StepFailed | RuntimeException e) {
                        String why = step + " failed: " + PatroniClients.firstLine(e);
                        steps.failed(step, why);
                        steps.ended(SafetyNetLedger.FAILED, why);
                        return new NetOutcome.Failed("the release did not finish: " + why + "; replay was resumed, the"
                                + " exclusion tags may still be set on " + name + " (DELETE again)", true);
                    }
                }
                String summary = "released: replay on " + name + " resumed" + (ours ? ", maintenance mode left" : "")
                        + (tagged ? ", tags removed" : "") + "; " + detail;
                steps.ended(SafetyNetLedger.RELEASED, summary,
                        new StepFact.SafetyNetReleased(holdId, caughtUp, replayed == null ? "" : replayed.text()));
                return new NetOutcome.Done(new ReleaseAnswer(deployment.name(), steps.id(), name, true, ours ? Boolean.TRUE : null,
                        caughtUp, replayed == null ? null : replayed.text(), (System.nanoTime() - started) / 1_000_000, summary));
            }
        }
    }

    /** The member's own Patroni answers and says its PostgreSQL runs (/cluster may still list a stopped member). */
    private static boolean patroniRuns(Optional<PatroniMemberClient> memberApi) {
        try {
            return memberApi.isPresent() && RUNNING.contains(String.valueOf(memberApi.get().status().state()));
        } catch (RuntimeException unanswered) {
            return false;
        }
    }

    /** A member Patroni reports running: one whose PostgreSQL does not answer is only unreachable for now. */
    private static final java.util.Set<String> RUNNING = java.util.Set.of("running", "streaming");

    /**
     * The held member is gone (no longer in /cluster) or Patroni says it is not running: its replay cannot be resumed
     * and needs no resuming (Patroni resumes it when it runs it again outside maintenance mode). The net protects
     * nothing any more, so it is released without the resume: maintenance mode is left (if we entered it and no other
     * member is paused), which gives the cluster its automatic failover back.
     */
    private NetOutcome releaseLost(DeploymentConfig deployment, String holdId, String name,
                                   Optional<ClusterResponse.Member> member, ClusterResponse state,
                                   PatroniClients patroni, Optional<PatroniMemberClient> leaderApi, boolean ours,
                                   Optional<AgentClient> taggedAgent, long started) {
        String lost = member.isEmpty() ? name + " is no member of the cluster any more"
                : name + "'s Patroni and PostgreSQL do not run";
        NetJournal steps = new NetJournal(journal, deployment.name(), SafetyNetLedger.RELEASE);
        String step = "resume_replay";
        try {
            steps.started(step);
            steps.finished(step, "skipped: " + lost + "; Patroni resumes its replay when it runs it again");
            List<String> otherNets = ours ? OtherNets.pausedMembers(state, patroni, name) : List.of();
            boolean left = false;
            if (ours && otherNets.isEmpty()) {
                step = "leave_maintenance";
                steps.started(step);
                MaintenanceMode.set(patroni, false, leaderApi, Optional.empty()); // the member cannot confirm it
                steps.finished(step, "maintenance mode off", new StepFact.SafetyNetMaintenanceLeft());
                left = true;
            }
            String untagged = "";
            if (taggedAgent.isPresent()) {
                // its Patroni does not run: the file alone, read when it starts again
                step = "restore_tags";
                steps.started(step, new StepFact.SafetyNetTags(name, false));
                try {
                    taggedAgent.get().tags(false);
                    steps.finished(step, "the exclusion tags removed from " + name + "'s Patroni configuration file");
                    untagged = "; tags removed";
                } catch (AgentException e) {
                    steps.failed(step, e.getMessage());
                    untagged = "; the exclusion tags could not be removed (" + e.getMessage() + "): remove the"
                            + " pg-bluegreen block from " + name + "'s Patroni configuration file";
                }
            }
            String summary = "released without resuming replay: " + lost + (left ? "; maintenance mode left" : "") + untagged;
            steps.ended(SafetyNetLedger.RELEASED, summary, new StepFact.SafetyNetReleased(holdId, false, ""));
            return new NetOutcome.Done(new ReleaseAnswer(deployment.name(), steps.id(), name, false,
                    left ? Boolean.TRUE : null, false, null, (System.nanoTime() - started) / 1_000_000, summary));
        } catch (StepFailed | RuntimeException e) {
            String why = step + " failed: " + PatroniClients.firstLine(e);
            steps.failed(step, why);
            steps.ended(SafetyNetLedger.FAILED, why);
            return new NetOutcome.Failed("the release did not finish: " + why + " (DELETE again, or patronictl resume)",
                    true);
        }
    }
}
