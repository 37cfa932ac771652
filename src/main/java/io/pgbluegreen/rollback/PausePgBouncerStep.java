package io.pgbluegreen.rollback;

import io.pgbluegreen.operation.OperationContext;
import io.pgbluegreen.operation.Step;

/**
 * Rollback's first step with PgBouncer: its clients wait (in-flight transactions finish) while green is fenced and
 * blue takes over, instead of meeting a fenced green. point_pgbouncer_at_blue resumes them against blue; a rollback
 * that stops before blue is unfenced resumes them against green again.
 */
public final class PausePgBouncerStep implements Step {
    /** This step's name in the journal and the API. */
    public static final String NAME = "pause_pgbouncer";
    @Override
    public String name() {
        return NAME;
    }

    @Override
    public String run(OperationContext context) throws Exception {
        var pgbouncer = context.pgbouncer();
        pgbouncer.connect();
        context.pgbouncerPaused(true);
        pgbouncer.pause();
        return "PgBouncer paused " + pgbouncer.settings().database();
    }
}
