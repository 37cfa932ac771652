package io.pgbluegreen.mode.physical;

import io.pgbluegreen.postgres.Statements;
import io.pgbluegreen.operation.GreenBaseline;
import io.pgbluegreen.operation.OperationContext;
import io.pgbluegreen.postgres.Sql;
import io.pgbluegreen.operation.Step;
import io.pgbluegreen.operation.StepFailure;
import io.pgbluegreen.postgres.Waits;

import java.time.Duration;

/**
 * Promotes green with pg_promote (12+; up to 60 s for recovery to end), gives the fenced roles their logins back on it and
 * proves it takes writes. The point of no return:
 * from here on an error leaves blue fenced, never unfenced beside a writable green.
 */
public final class PromoteStep implements Step {
    /** This step's name in the journal and the API. */
    public static final String NAME = "promote";
    // pg_promote(true, ...) checks for the end of recovery only every 100 ms: we ask without waiting and poll faster
    static final String PROMOTE = "SELECT pg_promote(false)";
    static final Duration PROMOTION_TIMEOUT = Duration.ofSeconds(60);

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public String run(OperationContext context) throws Exception {
        var green = context.green();
        if (green.queryBoolean(Statements.IN_RECOVERY)) {
            if (green.version().major() < 12) {
                PromoteCommand.run(context.deployment().promoteCommand(), PROMOTION_TIMEOUT);
            } else if (!green.queryBoolean(PROMOTE)) {
                throw new StepFailure("pg_promote() on green was refused; blue stays fenced");
            }
            boolean promoted = Waits.until(PROMOTION_TIMEOUT, Duration.ofMillis(10), () -> !green.queryBoolean(Statements.IN_RECOVERY));
            if (!promoted) {
                throw new StepFailure("green is still in recovery " + PROMOTION_TIMEOUT.toSeconds()
                        + "s after pg_promote(); blue stays fenced");
            }
        }
        // The fence's NOLOGIN is a catalog change: it reached green through WAL before the promotion. Green is the
        // primary now, so the fenced roles get their logins back (ALTER SYSTEM is per server, not replicated), in one
        // transaction that also proves green takes writes; no client can have written before it commits.
        var write = green.write(context.fence().blockedRoles().stream()
                .map(role -> "ALTER ROLE " + Sql.ident(role) + " LOGIN").toArray(String[]::new));
        long xid = write.xid();
        GreenBaseline.record(context, write);
        return "green promoted, logins of " + context.fence().blockedRoles() + " restored on it (xid " + xid
                + "), green takes writes";
    }
}
