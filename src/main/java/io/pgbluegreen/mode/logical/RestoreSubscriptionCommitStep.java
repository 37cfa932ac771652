package io.pgbluegreen.mode.logical;

import io.pgbluegreen.operation.OperationContext;
import io.pgbluegreen.postgres.Sql;
import io.pgbluegreen.operation.Step;
import io.pgbluegreen.postgres.TargetSession;

import java.sql.SQLException;

/**
 * Rollback of a cutover cut off after prepare_marker: gives the subscription back the synchronous_commit the operator
 * had (the cutover runs it with 'on' so green confirms its flush promptly; left so, every apply waits on a flush).
 */
public final class RestoreSubscriptionCommitStep implements Step {
    /** This step's name in the journal and the API. */
    public static final String NAME = "restore_subscription_commit";
    private final String previous;

    public RestoreSubscriptionCommitStep(String previous) {
        this.previous = previous;
    }

    /** Sets the subscription's synchronous_commit back; also used by stop_subscription and by an abort. */
    public static void restore(TargetSession green, String subscription, String previous) throws SQLException {
        green.execute(statement(subscription, previous));
    }

    static String statement(String subscription, String previous) {
        return "ALTER SUBSCRIPTION " + Sql.ident(subscription) + " SET (synchronous_commit = " + Sql.literal(previous) + ")";
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public String run(OperationContext context) throws Exception {
        context.writeOnGreen(name(), statement(context.deployment().subscription(), previous));
        return "subscription " + context.deployment().subscription() + " commits with synchronous_commit = '" + previous
                + "' again";
    }
}
