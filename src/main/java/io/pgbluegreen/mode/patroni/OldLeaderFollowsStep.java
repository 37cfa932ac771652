package io.pgbluegreen.mode.patroni;

import io.pgbluegreen.operation.OperationContext;
import io.pgbluegreen.operation.Step;
import io.pgbluegreen.operation.StepFailure;
import io.pgbluegreen.patroni.ClusterResponse;
import io.pgbluegreen.patroni.PatroniClients;
import io.pgbluegreen.postgres.Statements;
import io.pgbluegreen.postgres.TargetSession;
import io.pgbluegreen.postgres.Waits;

import java.time.Duration;
import java.util.List;

/**
 * Blue, demoted by Patroni, follows green: it is in recovery and streams from green on green's timeline (Patroni
 * restarts it as a replica, with pg_rewind when it has to). Until then the cluster has no second copy of green's
 * writes; a blue that does not come back is reported, not hidden.
 */
final class OldLeaderFollowsStep implements Step {
    static final String NAME = "old_leader_follows";
    static final Duration FOLLOWING = Duration.ofSeconds(90);
    static final String RECEIVER = """
            SELECT status, received_tli FROM pg_stat_wal_receiver""";
    /** The primary's current timeline, from its WAL file name (pg_control's checkpoint may still show the old one). */
    static final String TIMELINE = """
            SELECT ('x' || substr(pg_walfile_name(pg_current_wal_lsn()), 1, 8))::bit(32)::int""";

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public String run(OperationContext context) throws Exception {
        long greenTimeline;
        try (TargetSession green = context.freshGreen()) {
            greenTimeline = green.queryLong(TIMELINE);
        }
        String[] last = {"not tried"};
        boolean follows = Waits.until(FOLLOWING, Duration.ofMillis(250), () -> {
            try (TargetSession blue = context.freshBlue()) {
                if (!blue.queryBoolean(Statements.IN_RECOVERY)) {
                    last[0] = "blue is not in recovery";
                    return false;
                }
                List<String> receiver = blue.queryRow(RECEIVER);
                last[0] = receiver == null ? "blue has no WAL receiver" : "blue's WAL receiver is " + receiver.get(0)
                        + " on timeline " + receiver.get(1);
                return receiver != null && "streaming".equals(receiver.get(0))
                        && receiver.get(1) != null && Long.parseLong(receiver.get(1)) >= greenTimeline;
            } catch (java.sql.SQLException e) {
                last[0] = "blue: " + e.getMessage();
                return false;
            }
        });
        if (!follows) {
            throw new StepFailure("blue does not follow green " + FOLLOWING.toSeconds() + "s after the switchover ("
                    + last[0] + "): check patronictl list; Patroni may need to reinitialise it");
        }
        String member = memberName(context);
        return "blue" + (member == null ? "" : " (" + member + ")") + " streams from green on timeline " + greenTimeline;
    }

    private static String memberName(OperationContext context) {
        try (PatroniClients api = new PatroniClients(context.patroniCluster(), context.sampling().httpTimeout(), null)) {
            return PatroniMembers.of(api.cluster(), context.blueTarget()).map(ClusterResponse.Member::name).orElse(null);
        } catch (PatroniClients.Unanswered e) {
            return null;
        }
    }
}
