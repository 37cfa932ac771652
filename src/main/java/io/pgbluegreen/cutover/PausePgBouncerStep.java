package io.pgbluegreen.cutover;

import io.pgbluegreen.operation.OperationContext;
import io.pgbluegreen.operation.Step;

/**
 * PAUSE in PgBouncer: its clients wait (in-flight transactions finish) while the side they use changes, instead of
 * meeting a side that cannot take their writes. A rollback's first step with PgBouncer (point_pgbouncer_at_blue
 * resumes them against blue; a rollback that stops before blue is unfenced resumes them against green again), and a
 * Patroni switchover's (switch_connections resumes them against the new leader; an abort against blue).
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
        if (pgbouncer == null) {
            return "no PgBouncer configured";
        }
        pgbouncer.connect();
        context.pgbouncerPaused(true);
        pgbouncer.pause();
        return "PgBouncer paused " + pgbouncer.settings().database();
    }
}
