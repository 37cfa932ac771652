package io.pgbluegreen.mode.patroni.safetynet.rollback;

import io.pgbluegreen.operation.OperationContext;
import io.pgbluegreen.operation.StepFailure;
import io.pgbluegreen.patroni.ClusterResponse;
import io.pgbluegreen.patroni.PatroniClients;
import io.pgbluegreen.postgres.TargetSession;
import io.pgbluegreen.postgres.Waits;

import java.sql.SQLException;
import java.time.Duration;

/**
 * Brings the old leader back as a replica of the new one: its agent starts its Patroni, which finds its stopped
 * PostgreSQL ahead of the new leader's timeline fork and rewinds it ({@code use_pg_rewind}) before it follows. The
 * step ends when the new leader sees it streaming on its timeline.
 */
final class OldLeaderRejoinsStep extends NetRollbackStep {
    static final String NAME = "old_leader_rejoins";
    private static final Duration POLL = Duration.ofMillis(500);

    OldLeaderRejoinsStep(NetRollbackPlan plan, PatroniClients patroni) {
        super(NAME, plan, patroni);
    }

    @Override
    public String run(OperationContext context) throws Exception {
        if (!plan.net().enteredMaintenance() && patroni.cluster().paused()) {
            throw new StepFailure("the cluster stays in maintenance mode (as it was before the safety net), where Patroni"
                    + " does not start " + plan.leader() + "'s PostgreSQL: patronictl resume, and it rejoins");
        }
        long started = System.nanoTime();
        plan.leaderAgent().startPatroni();
        String[] last = {"nothing read yet"};
        boolean rejoined = Waits.until(plan.limits().rejoin(), POLL, () -> {
            ClusterResponse cluster;
            try {
                cluster = patroni.cluster();
            } catch (PatroniClients.Unanswered e) {
                last[0] = e.getMessage();
                return false;
            }
            Integer leaderTimeline = cluster.memberList().stream().filter(m -> m.name().equals(plan.member()))
                    .map(ClusterResponse.Member::timeline).findFirst().orElse(null);
            var old = cluster.memberList().stream().filter(m -> m.name().equals(plan.leader())).findFirst();
            last[0] = old.map(m -> plan.leader() + ": " + m.role() + ", " + m.state() + ", timeline " + m.timeline())
                    .orElse(plan.leader() + " not in /cluster yet");
            if (old.isEmpty() || leaderTimeline == null || !leaderTimeline.equals(old.get().timeline())) {
                return false;
            }
            try (TargetSession member = plan.memberSession()) {
                return member.queryLong(MemberSql.STREAMING_TO, plan.leader()) > 0;
            } catch (SQLException e) {
                last[0] += "; new leader unreadable: " + e.getMessage();
                return false;
            }
        });
        if (!rejoined) {
            throw new StepFailure(plan.leader() + " did not stream from " + plan.member() + " within "
                    + plan.limits().rejoin().toSeconds() + " s (" + last[0] + "): patronictl reinit "
                    + plan.cluster().name() + " " + plan.leader() + " rebuilds it from the new leader");
        }
        return plan.leader() + " streams from " + plan.member() + " on its timeline, "
                + (System.nanoTime() - started) / 1_000_000 + " ms after its Patroni started (rewound by Patroni)";
    }
}
