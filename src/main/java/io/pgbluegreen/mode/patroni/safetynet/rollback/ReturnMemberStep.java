package io.pgbluegreen.mode.patroni.safetynet.rollback;

import io.pgbluegreen.mode.patroni.safetynet.MaintenanceMode;
import io.pgbluegreen.operation.OperationContext;
import io.pgbluegreen.operation.StepFailure;
import io.pgbluegreen.patroni.ClusterResponse;
import io.pgbluegreen.patroni.PatroniClients;
import io.pgbluegreen.patroni.PatroniMemberClient;
import io.pgbluegreen.postgres.TargetSession;
import io.pgbluegreen.postgres.Waits;

import java.sql.SQLException;
import java.time.Duration;
import java.util.Optional;

/**
 * Undo before the point of no return: the member back under Patroni as a streaming replica. Its agent stops its
 * PostgreSQL (still in recovery, never promoted), its Patroni starts again, and maintenance mode ends if the net
 * entered it, so that Patroni starts the member as a replica of the leader (it writes standby.signal, which
 * outranks the rollback's recovery.signal). The net is gone either way: the member replays on.
 */
final class ReturnMemberStep extends NetRollbackStep {
    static final String NAME = "undo_return_member";
    private static final Duration POLL = Duration.ofMillis(500);

    ReturnMemberStep(NetRollbackPlan plan, PatroniClients patroni) {
        super(NAME, plan, patroni);
    }

    @Override
    public String run(OperationContext context) throws Exception {
        // the tags first: a stop that fails (a hung postmaster) must not leave the member tagged
        String untagged = plan.untagMember();
        plan.memberAgent().stopPostgres();
        plan.memberAgent().startPatroni();
        if (!plan.net().enteredMaintenance()) {
            return plan.member() + "'s Patroni runs again; the cluster stays in maintenance mode as found, so Patroni"
                    + " does not start its PostgreSQL: patronictl resume, and it streams again" + untagged;
        }
        ClusterResponse cluster = patroni.cluster();
        Optional<PatroniMemberClient> api = cluster.memberList().stream()
                .filter(m -> m.name().equals(plan.leader())).findFirst().flatMap(patroni::of);
        MaintenanceMode.set(patroni, false, api, Optional.empty());
        boolean streaming = Waits.until(plan.limits().rejoin(), POLL, () -> {
            try (TargetSession leader = plan.leaderSession()) {
                return leader.queryLong(MemberSql.STREAMING_TO, plan.member()) > 0;
            } catch (SQLException e) {
                return false;
            }
        });
        if (!streaming) {
            throw new StepFailure(plan.member() + " does not stream from " + plan.leader() + " "
                    + plan.limits().rejoin().toSeconds() + " s after maintenance mode ended");
        }
        return plan.member() + " streams from " + plan.leader() + " again; maintenance mode off" + untagged;
    }
}
