package io.pgbluegreen.mode.patroni.safetynet.rollback;

import io.pgbluegreen.agent.AgentClient;
import io.pgbluegreen.agent.AgentException;
import io.pgbluegreen.agent.AgentStatus;
import io.pgbluegreen.agent.WalCheck;
import io.pgbluegreen.gate.CheckResult;
import io.pgbluegreen.journal.StepFact;
import io.pgbluegreen.mode.patroni.safetynet.ReplicaState;
import io.pgbluegreen.patroni.ClusterResponse;
import io.pgbluegreen.patroni.PatroniRole;
import io.pgbluegreen.postgres.Lsn;
import io.pgbluegreen.postgres.TargetSession;

import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The rollback's gate, all reads (a refusal changes nothing): the cluster still as the net left it (maintenance
 * mode, the same leader), the member still paused before the marker with the WAL to reach it received and on its
 * disk, and both members' agents answering. Each check is named in a refusal.
 */
final class NetRollbackGate {
    private final List<CheckResult> results = new ArrayList<>();

    List<CheckResult> failing() {
        return results.stream().filter(c -> !c.passed()).toList();
    }

    /** /cluster: maintenance mode on, the net's leader still leads, the member still a member. */
    void cluster(ClusterResponse cluster, StepFact.SafetyNetHeld net) {
        results.add(CheckResult.of("maintenance_mode_on", cluster.paused(), cluster.paused(), true,
                "the cluster is in maintenance mode: Patroni leaves the pause alone",
                "the cluster is not in maintenance mode: Patroni resumes paused replicas, so the net no longer holds"));
        Optional<ClusterResponse.Member> leader = cluster.memberList().stream()
                .filter(m -> m.patroniRole() == PatroniRole.LEADER).findFirst();
        String leaderName = leader.map(ClusterResponse.Member::name).orElse("none");
        results.add(CheckResult.of("leader_unchanged", net.leader().equals(leaderName), leaderName, net.leader(),
                net.leader() + " still leads, as when the net was held",
                "the leader is " + leaderName + ", not " + net.leader() + " under which the net was held"));
        boolean present = cluster.memberList().stream().anyMatch(m -> m.name().equals(net.member()));
        results.add(CheckResult.of("member_present", present, present, true, net.member() + " is in /cluster",
                net.member() + " is not in /cluster"));
    }

    /** The member's PostgreSQL: still paused in recovery, not past the marker's start, the marker's WAL received. */
    Lsn member(TargetSession member, StepFact.SafetyNetHeld net) {
        ReplicaState state;
        try {
            state = ReplicaState.read(member);
        } catch (SQLException e) {
            results.add(CheckResult.unknown("member_paused", "cannot read " + net.member() + "'s PostgreSQL: "
                    + e.getMessage()));
            return null;
        }
        results.add(CheckResult.of("member_paused", state.inRecovery() && state.paused(), state.pauseState(), "paused",
                "WAL replay on " + net.member() + " is paused", "WAL replay on " + net.member() + " is "
                        + (state.inRecovery() ? state.pauseState() : "over: it is not in recovery")));
        Lsn before = Lsn.parse(net.lsnBefore());
        boolean notPast = state.replayLsn() != null && state.replayLsn().bytes() <= before.bytes();
        results.add(CheckResult.of("member_before_marker", notPast, text(state.replayLsn()), "<= " + before.text(),
                net.member() + " replayed up to " + text(state.replayLsn()) + ", before the marker",
                net.member() + " replayed up to " + text(state.replayLsn()) + ", past the marker's start "
                        + before.text() + ": recovery can no longer stop at xid " + net.xid()));
        Lsn marker = Lsn.parse(net.lsn());
        boolean received = state.receiveLsn() != null && state.receiveLsn().bytes() >= marker.bytes();
        results.add(CheckResult.of("marker_received", received, text(state.receiveLsn()), ">= " + marker.text(),
                net.member() + " has received the WAL up to the marker's commit",
                net.member() + " has received WAL only up to " + text(state.receiveLsn()) + ", not the marker's commit at "
                        + marker.text() + " (is it streaming?)"));
        return state.replayLsn();
    }

    /** An agent answers, and for the member its PostgreSQL runs; returns the status (null: failed). */
    AgentStatus agent(String check, String who, AgentClient agent, boolean mustRun) {
        try {
            AgentStatus status = agent.status();
            boolean ok = !mustRun || status.postgresRunning();
            results.add(CheckResult.of(check, ok, status.postgresRunning() ? "postgres running" : "postgres stopped",
                    mustRun ? "postgres running" : "answers", "the agent of " + who + " answers",
                    "the agent of " + who + " says its PostgreSQL is not running"));
            return status;
        } catch (AgentException e) {
            results.add(CheckResult.unknown(check, e.getMessage()));
            return null;
        }
    }

    /** The WAL from the member's replay position to the marker's commit is in its pg_wal (read by its agent). */
    void walOnMember(AgentClient agent, StepFact.SafetyNetHeld net, Lsn replay) {
        if (replay == null) {
            results.add(CheckResult.unknown("wal_available", "the member's replay position is unknown"));
            return;
        }
        try {
            WalCheck wal = agent.walCheck(net.timeline(), replay.text(), net.lsn());
            results.add(CheckResult.of("wal_available", wal.available(), wal.missing().isEmpty() ? "all present"
                            : "missing " + wal.missing(), wal.needed().toString(),
                    "the WAL segments from " + replay.text() + " to " + net.lsn() + " are in " + net.member() + "'s pg_wal",
                    "WAL segments " + wal.missing() + " are gone from " + net.member() + "'s pg_wal: recovery cannot"
                            + " reach xid " + net.xid()));
        } catch (AgentException e) {
            results.add(CheckResult.unknown("wal_available", e.getMessage()));
        }
    }

    void fail(String name, String message) {
        results.add(CheckResult.fail(name, null, null, message));
    }

    private static String text(Lsn lsn) {
        return lsn == null ? "unknown" : lsn.text();
    }
}
