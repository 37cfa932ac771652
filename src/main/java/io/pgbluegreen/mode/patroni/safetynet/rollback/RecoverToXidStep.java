package io.pgbluegreen.mode.patroni.safetynet.rollback;

import io.pgbluegreen.agent.AgentStatus;
import io.pgbluegreen.operation.OperationContext;
import io.pgbluegreen.operation.StepFailure;
import io.pgbluegreen.postgres.Lsn;
import io.pgbluegreen.postgres.TargetSession;
import io.pgbluegreen.postgres.Waits;

import java.sql.SQLException;
import java.time.Duration;
import java.util.List;

/**
 * Recovers the held member to exactly the marker's transaction, outside Patroni: its agent stops PostgreSQL and
 * starts it in targeted recovery (recovery_target_xid, inclusive, action pause) from the WAL in its pg_wal. The step
 * ends once replay is paused at the target with the marker row visible: still read-only, so the old leader keeps
 * serving until the next step stops it. A recovery that ends before the target (WAL missing) shuts PostgreSQL down:
 * the step fails with the server's own last lines.
 */
final class RecoverToXidStep extends NetRollbackStep {
    static final String NAME = "recover_to_xid";
    private static final Duration POLL = Duration.ofMillis(200);

    RecoverToXidStep(NetRollbackPlan plan) {
        super(NAME, plan, null);
    }

    @Override
    public String run(OperationContext context) throws Exception {
        long xid = plan.net().xid();
        plan.memberAgent().stopPostgres();
        plan.memberAgent().recover(xid);
        String[] last = {"no answer yet"};
        Lsn[] pausedAt = {null};
        boolean reached = Waits.until(plan.limits().recovery(), POLL, () -> {
            context.failIfStopping();
            try (TargetSession member = plan.memberSession()) {
                List<String> row = member.queryRow(MemberSql.REPLAY_STATE);
                last[0] = "in recovery " + row.get(0) + ", replay " + row.get(1) + " at " + row.get(2);
                if (!"t".equals(row.get(0))) {
                    throw new StepFailure(plan.member() + " left recovery on its own (" + last[0] + "): not the paused"
                            + " target the rollback set");
                }
                if (!"paused".equals(row.get(1))) {
                    return false;
                }
                pausedAt[0] = Lsn.parse(row.get(2));
                return true;
            } catch (SQLException e) {
                AgentStatus status = plan.memberAgent().status();
                if (!status.postgresRunning()) {
                    throw new StepFailure("PostgreSQL on " + plan.member() + " stopped during the recovery to xid " + xid
                            + " (WAL missing?): " + String.join(" | ", tail(status.serverLogTail())));
                }
                last[0] = "not accepting connections yet: " + e.getMessage();
                return false;
            }
        });
        if (!reached) {
            throw new StepFailure(plan.member() + " did not pause at xid " + xid + " within "
                    + plan.limits().recovery().toSeconds() + " s (" + last[0] + ")");
        }
        try (TargetSession member = plan.memberSession()) {
            if (member.queryLong(MemberSql.MARKER_VISIBLE, MemberSql.xmin(xid)) != 1) {
                throw new StepFailure(plan.member() + " paused at " + pausedAt[0].text() + " but the marker row of xid "
                        + xid + " is not there: the recovery did not stop after the marker");
            }
        }
        return plan.member() + " recovered to xid " + xid + ": replay paused at " + pausedAt[0].text()
                + " with the marker row present (still read-only; " + plan.leader() + " still leads)";
    }

    private static List<String> tail(List<String> log) {
        if (log == null || log.isEmpty()) {
            return List.of("no server log");
        }
        return log.subList(Math.max(0, log.size() - 3), log.size());
    }
}
