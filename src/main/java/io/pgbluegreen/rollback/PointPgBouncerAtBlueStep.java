package io.pgbluegreen.rollback;

import io.pgbluegreen.operation.OperationContext;
import io.pgbluegreen.operation.Step;

/** Rollback's last step with PgBouncer: its database points at blue again (reloaded) and is resumed. Repeatable. */
public final class PointPgBouncerAtBlueStep implements Step {
    /** This step's name in the journal and the API. */
    public static final String NAME = "point_pgbouncer_at_blue";
    @Override
    public String name() {
        return NAME;
    }

    @Override
    public String run(OperationContext context) throws Exception {
        var pgbouncer = context.pgbouncer();
        pgbouncer.pointAt(context.blueAddress());
        return "PgBouncer database " + pgbouncer.settings().database() + " points at blue and is resumed";
    }
}
