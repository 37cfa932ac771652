package io.pgbluegreen.mode.patroni.safetynet.rollback;

import io.pgbluegreen.agent.AgentStatus;
import io.pgbluegreen.operation.OperationContext;
import io.pgbluegreen.operation.StepFailure;
import io.pgbluegreen.patroni.PatroniClients;
import io.pgbluegreen.patroni.PatroniRole;
import io.pgbluegreen.postgres.Waits;

import java.time.Duration;

/**
 * Undo before the point of no return: the old leader's PostgreSQL started again as it last ran (maintenance mode
 * would keep Patroni from starting it), then its Patroni, which adopts the running primary and keeps or retakes
 * the leader key. The member is still read-only here, so this never makes a second primary.
 */
final class RestartOldLeaderStep extends NetRollbackStep {
    static final String NAME = "undo_restart_old_leader";
    private static final Duration POLL = Duration.ofMillis(250);

    RestartOldLeaderStep(NetRollbackPlan plan, PatroniClients patroni) {
        super(NAME, plan, patroni);
    }

    @Override
    public String run(OperationContext context) throws Exception {
        AgentStatus status = plan.leaderAgent().status();
        if (!status.postgresRunning()) {
            plan.leaderAgent().startPostgres();
        }
        plan.leaderAgent().startPatroni();
        boolean leads = Waits.until(plan.limits().leaderKey(), POLL, () -> {
            try {
                return patroni.cluster().memberList().stream().anyMatch(m -> m.name().equals(plan.leader())
                        && m.patroniRole() == PatroniRole.LEADER && "running".equals(m.state()));
            } catch (PatroniClients.Unanswered e) {
                return false;
            }
        });
        if (!leads) {
            throw new StepFailure(plan.leader() + " runs again but does not hold the leader key after "
                    + plan.limits().leaderKey().toSeconds() + " s");
        }
        return plan.leader() + " leads again";
    }
}
