package io.pgbluegreen.mode.patroni.safetynet.rollback;

import io.pgbluegreen.operation.OperationContext;
import io.pgbluegreen.operation.StepFailure;
import io.pgbluegreen.patroni.ClusterResponse;
import io.pgbluegreen.patroni.PatroniClients;
import io.pgbluegreen.patroni.PatroniRole;
import io.pgbluegreen.postgres.Waits;

import java.time.Duration;

/**
 * Starts the member's Patroni again and waits until it holds the leader key. In maintenance mode Patroni adopts a
 * running primary as it is, and takes the key once the old leader's has expired (its Patroni, stopped in maintenance
 * mode, did not delete it): up to the key's ttl after the old leader stopped.
 */
final class MemberLeadsStep extends NetRollbackStep {
    static final String NAME = "member_takes_leader_key";
    private static final Duration POLL = Duration.ofMillis(250);

    MemberLeadsStep(NetRollbackPlan plan, PatroniClients patroni) {
        super(NAME, plan, patroni);
    }

    /** Whether the member still takes writes: a Patroni that found another leader demotes it. */
    private String stillPrimary() {
        try (io.pgbluegreen.postgres.TargetSession member = plan.memberSession()) {
            return member.queryBoolean(MemberSql.IN_RECOVERY) ? "is in recovery again (its Patroni demoted it)"
                    : "still takes writes outside the leader key";
        } catch (java.sql.SQLException e) {
            return "cannot be read (" + e.getMessage() + ")";
        }
    }

    @Override
    public String run(OperationContext context) throws Exception {
        long started = System.nanoTime();
        String untagged = plan.untagMember();
        plan.memberAgent().startPatroni();
        String[] last = {"no /cluster yet"};
        boolean leads = Waits.until(plan.limits().leaderKey(), POLL, () -> {
            try {
                ClusterResponse cluster = patroni.cluster();
                last[0] = cluster.memberList().stream().map(m -> m.name() + " " + m.role() + " " + m.state()).toList().toString();
                return cluster.memberList().stream().anyMatch(m -> m.name().equals(plan.member())
                        && m.patroniRole() == PatroniRole.LEADER && "running".equals(m.state()));
            } catch (PatroniClients.Unanswered e) {
                last[0] = e.getMessage();
                return false;
            }
        });
        if (!leads) {
            throw new StepFailure(plan.member() + " did not take the leader key within "
                    + plan.limits().leaderKey().toSeconds() + " s; /cluster: " + last[0] + "; " + plan.member() + " "
                    + stillPrimary());
        }
        return plan.member() + " holds the leader key, " + (System.nanoTime() - started) / 1_000_000
                + " ms after its Patroni started (the old leader's key had to expire)" + untagged;
    }
}
