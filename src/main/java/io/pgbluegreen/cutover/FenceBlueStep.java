package io.pgbluegreen.cutover;

import io.pgbluegreen.journal.StepFact;
import io.pgbluegreen.fence.Fencer;
import io.pgbluegreen.operation.OperationContext;
import io.pgbluegreen.fence.Fence;
import io.pgbluegreen.operation.Step;

/**
 * Fences blue: PAUSE in PgBouncer when there is one, then Fencer's layers. The plan is journaled before anything
 * changes, so a crash can be undone. What needs no pause (reading the roles to block, logging in to PgBouncer's
 * console) is done before the PAUSE, outside the clients' wait.
 */
public final class FenceBlueStep implements Step {
    /** This step's name in the journal and the API. */
    public static final String NAME = "fence_blue";
    @Override
    public String name() {
        return NAME;
    }

    @Override
    public String run(OperationContext context) throws Exception {
        var pgbouncer = context.pgbouncer();
        Fence fence = Fencer.plan(context.blue(), context.deployment().fenceRoles());
        if (pgbouncer != null) {
            pgbouncer.connect();
            // first layer: clients going through PgBouncer wait (paused) instead of failing
            context.remember(name(), new StepFact.PgBouncerPaused());
            context.pgbouncerPaused(true);
            pgbouncer.pause();
        }
        context.remember(name(), fence.fact());
        context.fence(fence);
        var ended = Fencer.apply(context.blue(), fence, context.sparedOnBlue()).endedPids();
        return (pgbouncer == null ? "" : "PgBouncer paused " + pgbouncer.settings().database() + ", ") + "blocked logins of " + (fence.blockedRoles().isEmpty() ? "no role" : String.join(", ", fence.blockedRoles()))
                + ", ended " + ended.size() + " session(s), default_transaction_read_only = on";
    }
}
