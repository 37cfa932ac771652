package io.pgbluegreen.mode.patroni.safetynet;

import io.micronaut.core.annotation.Nullable;
import io.pgbluegreen.gate.CheckResult;
import io.pgbluegreen.operation.Refusal;
import io.pgbluegreen.patroni.ClusterResponse;
import io.pgbluegreen.patroni.PatroniRole;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * What must hold before a safety net changes anything, as reason-returning checks (Patroni's own style): each
 * returns the refusal naming what failed, or null. Pure: /cluster, the servers' own state and the journal in.
 * Every refusal is {@link Refusal.Cause#GATE} with the one failing check, so the 409 names it.
 */
final class HoldChecks {
    private HoldChecks() {
    }

    static Refusal refuse(String check, Object observed, Object wanted, String message) {
        return new Refusal(Refusal.Cause.GATE, message, List.of(CheckResult.fail(check, observed, wanted, message)));
    }

    static Refusal alreadyHeld(@Nullable SafetyNetRecord record) {
        if (record != null && record.held() != null) {
            var net = record.held().net();
            return refuse("no_safety_net_held", net.member(), "none",
                    "a safety net is held already on " + net.member() + " (xid " + net.xid() + ", since "
                            + net.heldSince() + "): DELETE it first");
        }
        if (record != null && record.leftover() != null) {
            return refuse("no_safety_net_left_over", record.leftover().member(), "none",
                    record.leftover().detail() + ": DELETE .../safety-net cleans it up first");
        }
        return null;
    }

    static Optional<ClusterResponse.Member> leader(ClusterResponse cluster) {
        return cluster.memberList().stream().filter(m -> m.patroniRole() == PatroniRole.LEADER).findFirst();
    }

    /** The cluster's view: a leader, the member, a running replica of it with an address and a configured API. */
    static Refusal cluster(ClusterResponse cluster, String name, boolean memberApiConfigured) {
        Optional<ClusterResponse.Member> leader = leader(cluster);
        if (leader.isEmpty()) {
            boolean standby = cluster.memberList().stream().anyMatch(m -> m.patroniRole() == PatroniRole.STANDBY_LEADER);
            return refuse("cluster_has_leader", standby ? "standby_leader" : "none", "leader",
                    standby ? "the cluster is a standby cluster: its WAL comes from elsewhere, a safety net here protects nothing"
                            : "the cluster has no leader now");
        }
        Optional<ClusterResponse.Member> member = cluster.memberList().stream().filter(m -> name.equals(m.name())).findFirst();
        if (member.isEmpty()) {
            return refuse("member_exists", name, "a member of the cluster", "no member '" + name + "' in the cluster (members: "
                    + cluster.memberList().stream().map(ClusterResponse.Member::name).collect(Collectors.joining(", ")) + ")");
        }
        ClusterResponse.Member m = member.get();
        if (m.patroniRole() == PatroniRole.LEADER) {
            return refuse("member_is_replica", "leader", "replica", name + " is the leader: a safety net holds a replica");
        }
        if (m.patroniRole() == PatroniRole.SYNC_STANDBY) {
            return refuse("member_is_replica", "sync_standby", "replica", name + " is a synchronous standby: a held"
                    + " replica must stay out of synchronous replication (with remote_apply every commit would wait on it);"
                    + " choose an asynchronous replica");
        }
        if (m.patroniRole() != PatroniRole.REPLICA) {
            return refuse("member_is_replica", m.role(), "replica", name + " is no replica (role " + m.role() + ")");
        }
        if (!"running".equals(m.state()) && !"streaming".equals(m.state())) {
            return refuse("member_running", m.state(), "running", name + " is not running (state " + m.state() + ")");
        }
        if (m.host() == null || m.port() == null) {
            return refuse("member_address_known", null, "host and port", "/cluster gives no PostgreSQL host and port for " + name);
        }
        if (!memberApiConfigured) {
            return refuse("member_api_configured", m.apiUrl(), "a configured member URL", name + "'s REST API ("
                    + m.apiUrl() + ") is not among the cluster's configured members: its own view of maintenance mode"
                    + " cannot be checked");
        }
        return null;
    }

    static Refusal loopWait(Duration loopWait) {
        if (loopWait.compareTo(HoldCheck.MAX_LOOP_WAIT) > 0) {
            return refuse("loop_wait_bounded", loopWait.toSeconds() + " s", "at most " + HoldCheck.MAX_LOOP_WAIT.toSeconds()
                    + " s", "loop_wait is " + loopWait.toSeconds() + " s: proving the pause over " + HoldCheck.LOOPS
                    + " HA loops would take too long for one request");
        }
        return null;
    }

    /** The servers themselves: the member streams on the leader's timeline with replay not paused; the leader writes. */
    static Refusal servers(String name, ReplicaState member, LeaderState leader) {
        if (leader.inRecovery()) {
            return refuse("leader_is_primary", "in recovery", "primary", "the leader's PostgreSQL is in recovery");
        }
        if (!member.inRecovery()) {
            return refuse("member_in_recovery", "primary", "in recovery", name + "'s PostgreSQL is not in recovery");
        }
        if (!member.streaming()) {
            return refuse("member_streaming", member.receiverStatus() == null ? "no WAL receiver" : member.receiverStatus(),
                    "streaming", name + " does not stream from the leader (WAL receiver: "
                            + (member.receiverStatus() == null ? "none" : member.receiverStatus()) + ")");
        }
        if (!ReplicaState.NOT_PAUSED.equals(member.pauseState())) {
            return refuse("replay_not_paused", member.pauseState(), ReplicaState.NOT_PAUSED, "WAL replay on " + name
                    + " reads " + member.pauseState() + " already: someone else paused it (resume it, or choose another replica)");
        }
        return null;
    }
}
