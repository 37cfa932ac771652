package io.pgbluegreen.mode.patroni;

import io.pgbluegreen.config.TargetConfig;
import io.pgbluegreen.gate.CheckResult;
import io.pgbluegreen.gate.GateInput;
import io.pgbluegreen.mode.patroni.safetynet.SafetyNetRecord;
import io.pgbluegreen.patroni.ClusterResponse;
import io.pgbluegreen.patroni.PatroniClusterState;
import io.pgbluegreen.patroni.PatroniRole;

import java.util.List;
import java.util.Set;

/**
 * A Patroni cluster is ready for a switchover from blue to green: it answers and has a leader, blue is that leader
 * and green a replica of it, every member is running, none waits for a restart, and the cluster is not in
 * maintenance mode (which an operator may override for a switchover to a named candidate).
 */
final class PatroniChecks {
    static final String ANSWERS = "patroni_cluster_answers";
    static final String BLUE_LEADS = "patroni_blue_is_leader";
    static final String GREEN_REPLICA = "patroni_green_is_replica";
    static final String RUNNING = "patroni_members_running";
    static final String NO_PENDING_RESTART = "patroni_no_pending_restart";
    static final String NOT_IN_MAINTENANCE = "patroni_not_in_maintenance";
    static final String NO_SAFETY_NET = "patroni_no_safety_net";
    private static final Set<String> RUNNING_STATES = Set.of("running", "streaming");

    private PatroniChecks() {
    }

    static void add(List<CheckResult> out, GateInput in, TargetConfig blue, TargetConfig green,
                    List<SafetyNetRecord> nets) {
        PatroniClusterState state = in.patroni();
        out.add(noSafetyNet(nets, state));
        if (state == null || state.cluster() == null) {
            String why = state == null ? "the Patroni cluster " + in.deployment().patroniCluster() + " was not read yet"
                    : "no member of " + state.name() + " answers: " + state.clusterError();
            out.add(CheckResult.fail(ANSWERS, "no answer", "an answer", why));
            for (String name : List.of(BLUE_LEADS, GREEN_REPLICA, RUNNING, NO_PENDING_RESTART, NOT_IN_MAINTENANCE)) {
                out.add(CheckResult.unknown(name, why));
            }
            return;
        }
        ClusterResponse cluster = state.cluster();
        out.add(CheckResult.pass(ANSWERS, "answers", "an answer", "Patroni cluster " + state.name() + " answers"));
        out.add(blueLeads(cluster, blue));
        out.add(greenReplica(cluster, green));
        out.add(running(cluster));
        out.add(noPendingRestart(state, cluster));
        out.add(CheckResult.of(NOT_IN_MAINTENANCE, !cluster.paused(), cluster.paused() ? "paused" : "not paused",
                "not paused", "the cluster is not in maintenance mode",
                "the cluster is in maintenance mode (paused): Patroni would switch over only to a named candidate and"
                        + " takes no other action meanwhile; resume it (patronictl resume) or override " + NOT_IN_MAINTENANCE));
    }

    /**
     * A held safety net (or what a cut-off hold left) waits for its release or its rollback: a switchover would put
     * the cluster on a new timeline under it, and it holds the cluster in maintenance mode.
     */
    private static CheckResult noSafetyNet(List<SafetyNetRecord> nets, PatroniClusterState state) {
        for (SafetyNetRecord net : nets) {
            CheckResult held = heldOrLeftOver(net);
            if (held != null) {
                return held;
            }
        }
        // a net this daemon does not know of (another daemon's journal) shows on the cluster: a member's paused replay
        List<String> paused = state == null || state.cluster() == null ? List.of() : state.cluster().memberList().stream()
                .filter(m -> {
                    PatroniClusterState.MemberStatus status = state.statusOf(m);
                    return status != null && status.status() != null && status.status().replayPaused();
                }).map(ClusterResponse.Member::name).toList();
        if (!paused.isEmpty()) {
            return CheckResult.fail(NO_SAFETY_NET, "replay paused on " + String.join(", ", paused), "none",
                    "WAL replay is paused on " + paused + " (a safety net, perhaps another daemon's): a switchover would"
                            + " put the cluster on a new timeline under it; resume it or release the net first");
        }
        return CheckResult.pass(NO_SAFETY_NET, "none", "none", "no safety net is held on the cluster");
    }

    /** A net of this daemon's journal held or left over on the cluster (null: none). */
    private static CheckResult heldOrLeftOver(SafetyNetRecord net) {
        if (net.held() != null) {
            return CheckResult.fail(NO_SAFETY_NET, "held on " + net.held().net().member(), "none",
                    "a safety net is held on " + net.held().net().member() + " since " + net.held().net().heldSince()
                            + ": release it (DELETE .../safety-net) or roll back to it first");
        }
        if (net.leftover() != null) {
            return CheckResult.fail(NO_SAFETY_NET, "left over on " + net.leftover().member(), "none",
                    "an earlier safety net attempt left something behind (" + net.leftover().detail()
                            + "): DELETE .../safety-net cleans it up");
        }
        return null;
    }

    private static CheckResult blueLeads(ClusterResponse cluster, TargetConfig blue) {
        String leader = PatroniMembers.leader(cluster).map(ClusterResponse.Member::name).orElse(null);
        var member = PatroniMembers.of(cluster, blue);
        if (member.isEmpty()) {
            return CheckResult.fail(BLUE_LEADS, "no member", "the leader", "blue (" + blue.url() + ") is no member of "
                    + PatroniMembers.names(cluster) + " (matched on host and port)");
        }
        boolean leads = member.get().name().equals(leader);
        return CheckResult.of(BLUE_LEADS, leads, member.get().name(), leader == null ? "a leader" : leader,
                "blue is member " + leader + ", the leader",
                leader == null ? "the cluster has no leader" : "blue is member " + member.get().name() + ", but " + leader
                        + " leads: point the deployment's blue at the leader's target");
    }

    private static CheckResult greenReplica(ClusterResponse cluster, TargetConfig green) {
        var member = PatroniMembers.of(cluster, green);
        if (member.isEmpty()) {
            return CheckResult.fail(GREEN_REPLICA, "no member", "a replica", "green (" + green.url() + ") is no member of "
                    + PatroniMembers.names(cluster) + " (matched on host and port)");
        }
        PatroniRole role = member.get().patroniRole();
        boolean replica = role == PatroniRole.REPLICA || role == PatroniRole.SYNC_STANDBY;
        return CheckResult.of(GREEN_REPLICA, replica, member.get().name() + " " + role.label(), "a replica",
                "green is member " + member.get().name() + ", a replica", "green is member " + member.get().name()
                        + ", whose role is " + role.label() + ", not a replica");
    }

    private static CheckResult running(ClusterResponse cluster) {
        List<String> notRunning = cluster.memberList().stream()
                .filter(m -> m.state() == null || !RUNNING_STATES.contains(m.state()))
                .map(m -> m.name() + " (" + m.state() + ")").toList();
        return CheckResult.of(RUNNING, notRunning.isEmpty(), notRunning.isEmpty() ? cluster.memberList().size() + " running"
                        : String.join(", ", notRunning), "every member running",
                "every member of the cluster is running", "member(s) not running: " + String.join(", ", notRunning));
    }

    private static CheckResult noPendingRestart(PatroniClusterState state, ClusterResponse cluster) {
        List<String> pending = cluster.memberList().stream().filter(m -> {
            PatroniClusterState.MemberStatus status = state.statusOf(m);
            return status != null && status.status() != null && Boolean.TRUE.equals(status.status().pendingRestart());
        }).map(ClusterResponse.Member::name).toList();
        return CheckResult.of(NO_PENDING_RESTART, pending.isEmpty(), pending.isEmpty() ? "none" : String.join(", ", pending),
                "none", "no member waits for a restart", "member(s) " + pending + " wait for a restart to apply changed"
                        + " settings: restart them (patronictl restart) before a switchover");
    }
}
