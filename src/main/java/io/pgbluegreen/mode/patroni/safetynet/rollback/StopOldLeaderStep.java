package io.pgbluegreen.mode.patroni.safetynet.rollback;

import io.pgbluegreen.agent.AgentStatus;
import io.pgbluegreen.operation.OperationContext;
import io.pgbluegreen.operation.StepFailure;
import io.pgbluegreen.patroni.PatroniClients;
import io.pgbluegreen.postgres.Lsn;
import io.pgbluegreen.postgres.TargetSession;

import java.sql.SQLException;

/**
 * Stops the old leader before the member may take writes, so there are never two writable primaries: its agent
 * stops Patroni (in maintenance mode Patroni keeps both PostgreSQL running and its leader key) and then PostgreSQL
 * (fast shutdown). Maintenance mode and the leader key are read again before and after: ended by someone since the
 * gate, the step fails and the rollback is undone rather than promote beside an elected member. The step says how much WAL the old leader wrote after the marker: what the rollback discards.
 */
final class StopOldLeaderStep extends NetRollbackStep {
    static final String NAME = "stop_old_leader";

    StopOldLeaderStep(NetRollbackPlan plan, PatroniClients patroni) {
        super(NAME, plan, patroni);
    }

    @Override
    public String run(OperationContext context) throws Exception {
        ClusterStillFenced.check(patroni, plan.leader(), "before stopping " + plan.leader(), false);
        memberStillPausedAtTarget();
        String discarded = discardedWal();
        plan.leaderAgent().stopPatroni();
        // outside maintenance mode its Patroni would have released the key (and stopped PostgreSQL) on the way down
        ClusterStillFenced.check(patroni, plan.leader(), "after stopping " + plan.leader() + "'s Patroni", true);
        plan.leaderAgent().stopPostgres();
        AgentStatus status = plan.leaderAgent().status();
        if (status.postgresRunning()) {
            throw new StepFailure("PostgreSQL on " + plan.leader() + " still runs after a fast shutdown (pid "
                    + status.postmasterPid() + ")");
        }
        return "Patroni and PostgreSQL on " + plan.leader() + " stopped (" + status.clusterState() + "); " + discarded;
    }

    /** The member must be ready to be promoted before the only writable server is stopped. */
    private void memberStillPausedAtTarget() throws StepFailure {
        try (TargetSession member = plan.memberSession()) {
            java.util.List<String> row = member.queryRow(MemberSql.REPLAY_STATE);
            if (!"t".equals(row.get(0)) || !"paused".equals(row.get(1))) {
                throw new StepFailure(plan.member() + " is no longer paused in recovery at the target (in recovery "
                        + row.get(0) + ", replay " + row.get(1) + "): " + plan.leader() + " is left running");
            }
        } catch (SQLException e) {
            throw new StepFailure(plan.member() + " does not answer (" + e.getMessage() + "): " + plan.leader()
                    + " is left running");
        }
    }

    private String discardedWal() {
        try (TargetSession leader = plan.leaderSession()) {
            Lsn now = Lsn.parse(leader.queryString(MemberSql.CURRENT_LSN));
            Lsn marker = Lsn.parse(plan.net().lsn());
            return plan.leader() + " had written " + Lsn.distance(now, marker) + " bytes of WAL after the marker (up to "
                    + now.text() + "): the rollback discards them";
        } catch (SQLException | RuntimeException e) {
            return "what " + plan.leader() + " wrote after the marker could not be read: " + e.getMessage();
        }
    }
}
