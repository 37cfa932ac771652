package io.pgbluegreen.cutover.step;

import io.pgbluegreen.cutover.CutoverContext;
import io.pgbluegreen.cutover.Sql;
import io.pgbluegreen.cutover.Step;

/** Re-enables green's subscription: it resumes from the slot kept on blue, losing nothing. */
public final class ResumeSubscriptionStep implements Step {
    @Override
    public String name() {
        return "resume_subscription";
    }

    @Override
    public String run(CutoverContext context) throws Exception {
        context.writeOnGreen(name(), "ALTER SUBSCRIPTION " + Sql.ident(context.deployment().subscription()) + " ENABLE");
        return "subscription " + context.deployment().subscription() + " enabled again";
    }
}
