package io.pgbluegreen.mode.patroni;

import io.pgbluegreen.operation.OperationContext;
import io.pgbluegreen.operation.Step;
import io.pgbluegreen.operation.StepFailure;
import io.pgbluegreen.postgres.Statements;
import io.pgbluegreen.postgres.TargetSession;
import io.pgbluegreen.postgres.Waits;

import java.time.Duration;

/**
 * Green, now Patroni's leader, is out of recovery and commits a transaction of ours: the proof, before clients are
 * pointed at it, that it takes writes. A new session per try: green's PostgreSQL may still be finishing promotion.
 */
final class NewLeaderTakesWritesStep implements Step {
    static final String NAME = "await_new_leader";
    static final Duration PROMOTED = Duration.ofSeconds(60);

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public String run(OperationContext context) throws Exception {
        long[] xid = {-1};
        String[] last = {"not tried"};
        boolean writable = Waits.until(PROMOTED, Duration.ofMillis(50), () -> {
            try (TargetSession green = context.freshGreen()) {
                if (green.queryBoolean(Statements.IN_RECOVERY)) {
                    last[0] = "still in recovery";
                    return false;
                }
                xid[0] = green.writeAsOne();
                return true;
            } catch (java.sql.SQLException e) {
                last[0] = e.getMessage();
                return false;
            }
        });
        if (!writable) {
            throw new StepFailure("green does not take writes " + PROMOTED.toSeconds() + "s after the switchover: " + last[0]);
        }
        return "green is out of recovery and committed our transaction " + xid[0];
    }
}
