package io.pgbluegreen.mode.patroni.safetynet.rollback;

import io.pgbluegreen.mode.patroni.safetynet.MaintenanceMode;
import io.pgbluegreen.operation.OperationContext;
import io.pgbluegreen.patroni.ClusterResponse;
import io.pgbluegreen.patroni.PatroniClients;
import io.pgbluegreen.patroni.PatroniMemberClient;

import java.util.Optional;

/**
 * Gives the cluster its automatic failover back once the member leads: maintenance mode off, if the net's hold
 * entered it. A cluster that was in maintenance mode before the hold is left as found; then Patroni does not start
 * the old leader, and the next step says so.
 */
final class LeaveMaintenanceStep extends NetRollbackStep {
    static final String NAME = "leave_maintenance";

    LeaveMaintenanceStep(NetRollbackPlan plan, PatroniClients patroni) {
        super(NAME, plan, patroni);
    }

    @Override
    public String run(OperationContext context) throws Exception {
        if (!plan.net().enteredMaintenance()) {
            return "the cluster was in maintenance mode before the safety net: left on, as found";
        }
        ClusterResponse cluster = patroni.cluster();
        Optional<PatroniMemberClient> member = cluster.memberList().stream()
                .filter(m -> m.name().equals(plan.member())).findFirst().flatMap(patroni::of);
        MaintenanceMode.set(patroni, false, member, member);
        return "maintenance mode off: Patroni fails over automatically again";
    }
}
