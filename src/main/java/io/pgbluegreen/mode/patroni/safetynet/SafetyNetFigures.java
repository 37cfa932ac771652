package io.pgbluegreen.mode.patroni.safetynet;

import io.pgbluegreen.patroni.PatroniClients;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.serde.annotation.Serdeable;
import io.pgbluegreen.config.DeploymentConfig;
import io.pgbluegreen.config.TargetConfig;
import io.pgbluegreen.config.Topology;
import io.pgbluegreen.journal.StepFact;
import io.pgbluegreen.patroni.ClusterResponse;
import io.pgbluegreen.patroni.PatroniClusterState;
import io.pgbluegreen.postgres.Lsn;
import io.pgbluegreen.postgres.TargetSession;

import java.sql.SQLException;
import java.time.Instant;
import java.util.Optional;

/**
 * Live figures of a held net, read now: the member's pause state and positions and the WAL it keeps (one round trip
 * on a short-lived session), the leader's slot for it (one round trip; the leader found in the latest sampled
 * /cluster), maintenance mode as last sampled, and the {@link WalAvailability} verdict. A server that does not
 * answer leaves its figures null and says why in {@code error}; the verdict is then false. {@code notHolding} says why
 * a net the journal holds no longer protects anything (someone ended maintenance mode or resumed replay: Patroni's
 * {@code patronictl resume}, a script); null while it holds, or when that cannot be read.
 */
@Serdeable
public record SafetyNetFigures(Instant readAt, @Nullable String error, @Nullable Boolean maintenanceMode,
                               @Nullable String replayPauseState, @Nullable String receiveLsn, @Nullable String replayLsn,
                               @Nullable Long receivedNotReplayedBytes, @Nullable Long walKeptBytes,
                               @Nullable String leaderSlotRestartLsn, @Nullable String leaderSlotWalStatus,
                               boolean walAvailable, @Nullable String notHolding) {

    public boolean paused() {
        return ReplicaState.PAUSED.equals(replayPauseState);
    }

    static SafetyNetFigures read(Topology topology, DeploymentConfig deployment, StepFact.SafetyNetHeld net,
                                 Optional<PatroniClusterState> sampled) {
        StringBuilder errors = new StringBuilder();
        ReplicaState replica = null;
        TargetConfig memberTarget = MemberConnections.forMember(topology, deployment, net.member(), net.host(), net.port(), false);
        try (TargetSession session = new TargetSession(memberTarget, topology.sampling())) {
            replica = ReplicaState.read(session);
        } catch (SQLException | RuntimeException e) {
            errors.append(net.member()).append(": ").append(PatroniClients.firstLine(e));
        }
        Boolean maintenance = sampled.map(PatroniClusterState::cluster).map(ClusterResponse::paused).orElse(null);
        LeaderState leader = null;
        Optional<ClusterResponse.Member> leaderMember = sampled.map(PatroniClusterState::cluster).flatMap(HoldChecks::leader);
        if (leaderMember.isPresent() && leaderMember.get().host() != null && leaderMember.get().port() != null) {
            ClusterResponse.Member m = leaderMember.get();
            TargetConfig leaderTarget = MemberConnections.forMember(topology, deployment, m.name(), m.host(), m.port(), true);
            try (TargetSession session = new TargetSession(leaderTarget, topology.sampling())) {
                leader = LeaderState.read(session, net.member());
            } catch (SQLException | RuntimeException e) {
                errors.append(errors.isEmpty() ? "" : "; ").append("leader ").append(m.name()).append(": ")
                        .append(PatroniClients.firstLine(e));
            }
        }
        boolean available = replica != null && WalAvailability.available(Lsn.parse(net.lsnBefore()), Lsn.parse(net.lsn()),
                replica.replayLsn(), replica.receiveLsn(), leader == null ? null : leader.slotRestartLsn(),
                leader == null ? null : leader.slotWalStatus());
        return new SafetyNetFigures(Instant.now(), errors.isEmpty() ? null : errors.toString(), maintenance,
                replica == null ? null : replica.pauseState(), text(replica == null ? null : replica.receiveLsn()),
                text(replica == null ? null : replica.replayLsn()), replica == null ? null : replica.receivedNotReplayedBytes(),
                replica == null ? null : replica.walKeptBytes(), text(leader == null ? null : leader.slotRestartLsn()),
                leader == null ? null : leader.slotWalStatus(), available, notHolding(net, maintenance, replica));
    }

    private static String notHolding(StepFact.SafetyNetHeld net, Boolean maintenance, ReplicaState replica) {
        if (replica != null && !replica.inRecovery()) {
            return net.member() + " is out of recovery: it was promoted, the net is gone";
        }
        if (replica != null && !replica.paused()) {
            return "WAL replay on " + net.member() + " is " + replica.pauseState() + " (resumed by someone else, or by Patroni"
                    + " outside maintenance mode): the net no longer holds; DELETE it, or hold a new one";
        }
        if (Boolean.FALSE.equals(maintenance)) {
            return "the cluster left maintenance mode (patronictl resume?): Patroni resumes " + net.member()
                    + "'s replay within one HA loop";
        }
        if (replica != null && replica.replayLsn() != null
                && replica.replayLsn().bytes() > Lsn.parse(net.lsnBefore()).bytes()) {
            return net.member() + " replayed past the marker's start " + net.lsnBefore() + ": recovery can no longer stop at xid "
                    + net.xid();
        }
        return null;
    }

    private static String text(Lsn lsn) {
        return lsn == null ? null : lsn.text();
    }
}
