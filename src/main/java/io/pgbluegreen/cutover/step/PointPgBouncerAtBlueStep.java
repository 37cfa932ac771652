package io.pgbluegreen.cutover.step;

import io.pgbluegreen.cutover.CutoverContext;
import io.pgbluegreen.cutover.Step;

/** Rollback's last step with PgBouncer: its database points at blue again (reloaded) and is resumed. Repeatable. */
public final class PointPgBouncerAtBlueStep implements Step {
    @Override
    public String name() {
        return "point_pgbouncer_at_blue";
    }

    @Override
    public String run(CutoverContext context) throws Exception {
        var pgbouncer = context.pgbouncer();
        pgbouncer.pointAt(context.blueAddress());
        return "PgBouncer database " + pgbouncer.settings().database() + " points at blue and is resumed";
    }
}
