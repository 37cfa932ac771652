package io.pgbluegreen.cutover.step;

import io.pgbluegreen.cutover.CutoverContext;
import io.pgbluegreen.cutover.Sql;
import io.pgbluegreen.cutover.Step;

/** Rollback: blue stops following green (before anything could flow the other way again). */
public final class StopReverseStep implements Step {
    private final String reverse;

    public StopReverseStep(String reverse) {
        this.reverse = reverse;
    }

    @Override
    public String name() {
        return "stop_reverse";
    }

    @Override
    public String run(CutoverContext context) throws Exception {
        context.blue().execute("SET default_transaction_read_only = off");
        context.blue().execute("ALTER SUBSCRIPTION " + Sql.ident(reverse) + " DISABLE");
        return "reverse subscription " + reverse + " disabled on blue; its slot stays on green until you drop it";
    }
}
