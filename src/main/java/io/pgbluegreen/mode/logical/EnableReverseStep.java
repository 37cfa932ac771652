package io.pgbluegreen.mode.logical;

import io.pgbluegreen.postgres.Statements;
import io.pgbluegreen.operation.OperationContext;
import io.pgbluegreen.postgres.Sql;
import io.pgbluegreen.operation.Step;

/** Last step with reverse replication: blue starts applying green's changes (kept by green's slot meanwhile). */
public final class EnableReverseStep implements Step {
    /** This step's name in the journal and the API. */
    public static final String NAME = "enable_reverse";
    @Override
    public String name() {
        return NAME;
    }

    @Override
    public String run(OperationContext context) throws Exception {
        if (!context.deployment().reverse()) {
            return "reverse replication not configured";
        }
        String reverse = SetUpReverseStep.name(context.deployment().name());
        context.blue().execute(Statements.READ_WRITE);
        context.blue().execute(SubscriptionStatements.enable(reverse));
        return "blue applies green's changes through " + reverse;
    }
}
