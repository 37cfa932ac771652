package io.pgbluegreen.mode.patroni.safetynet.rollback;

import io.pgbluegreen.operation.OperationContext;
import io.pgbluegreen.operation.StepFailure;
import io.pgbluegreen.patroni.PatroniClients;
import io.pgbluegreen.postgres.TargetSession;
import io.pgbluegreen.postgres.Waits;

import java.sql.SQLException;
import java.time.Duration;

/**
 * The point of no return: ends the member's paused recovery ({@code pg_wal_replay_resume()} at a recovery target
 * promotes), so it takes writes on a new timeline at exactly the marker. Only after the old leader is down.
 */
final class PromoteMemberStep extends NetRollbackStep {
    static final String NAME = "promote_member";
    private static final Duration POLL = Duration.ofMillis(100);

    PromoteMemberStep(NetRollbackPlan plan, PatroniClients patroni) {
        super(NAME, plan, patroni);
    }

    @Override
    public String run(OperationContext context) throws Exception {
        try {
            ClusterStillFenced.check(patroni, plan.leader(), "before promoting " + plan.member(), true);
        } catch (StepFailure e) {
            throw new NotPromoted(e.getMessage());
        }
        try (TargetSession member = plan.memberSession()) {
            try {
                // connect first: a member that cannot be reached was certainly not promoted
                member.jdbc();
            } catch (SQLException e) {
                throw new NotPromoted("cannot reach " + plan.member() + " to promote it: " + e.getMessage());
            }
            member.execute(MemberSql.RESUME);
        }
        boolean promoted = Waits.until(plan.limits().promotion(), POLL, () -> {
            try (TargetSession member = plan.memberSession()) {
                return !member.queryBoolean(MemberSql.IN_RECOVERY);
            } catch (SQLException e) {
                return false;
            }
        });
        if (!promoted) {
            throw new StepFailure(plan.member() + " was still in recovery " + plan.limits().promotion().toSeconds()
                    + " s after pg_wal_replay_resume()");
        }
        try (TargetSession member = plan.memberSession()) {
            long timeline = member.queryLong(MemberSql.CURRENT_TIMELINE);
            return plan.member() + " promoted at xid " + plan.net().xid() + ": writes on timeline " + timeline
                    + " (was " + plan.net().timeline() + ")";
        }
    }

    /** The step refused before it acted: nothing was promoted, so the rollback can still be undone. */
    static final class NotPromoted extends StepFailure {
        NotPromoted(String message) {
            super(message);
        }
    }
}
