package io.pgbluegreen.mode.logical;

import io.pgbluegreen.operation.OperationContext;
import io.pgbluegreen.postgres.Sql;
import io.pgbluegreen.operation.Step;

/** Re-enables green's subscription: it resumes from the slot kept on blue, losing nothing. */
public final class ResumeSubscriptionStep implements Step {
    /** This step's name in the journal and the API. */
    public static final String NAME = "resume_subscription";
    @Override
    public String name() {
        return NAME;
    }

    @Override
    public String run(OperationContext context) throws Exception {
        context.writeOnGreen(name(), SubscriptionStatements.enable(context.deployment().subscription()));
        return "subscription " + context.deployment().subscription() + " enabled again";
    }
}
