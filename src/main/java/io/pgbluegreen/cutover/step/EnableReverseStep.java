package io.pgbluegreen.cutover.step;

import io.pgbluegreen.cutover.CutoverContext;
import io.pgbluegreen.cutover.Sql;
import io.pgbluegreen.cutover.Step;

/** Last step with reverse replication: blue starts applying green's changes (kept by green's slot meanwhile). */
public final class EnableReverseStep implements Step {
    @Override
    public String name() {
        return "enable_reverse";
    }

    @Override
    public String run(CutoverContext context) throws Exception {
        if (!context.deployment().reverse()) {
            return "reverse replication not configured";
        }
        String reverse = SetUpReverseStep.name(context.deployment().name());
        context.blue().execute("SET default_transaction_read_only = off");
        context.blue().execute("ALTER SUBSCRIPTION " + Sql.ident(reverse) + " ENABLE");
        return "blue applies green's changes through " + reverse;
    }
}
