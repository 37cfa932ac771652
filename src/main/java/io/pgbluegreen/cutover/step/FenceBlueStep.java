package io.pgbluegreen.cutover.step;

import io.pgbluegreen.cutover.BlueFencer;
import io.pgbluegreen.cutover.CutoverContext;
import io.pgbluegreen.cutover.Fence;
import io.pgbluegreen.cutover.Step;

/**
 * Fences blue: PAUSE in PgBouncer when there is one, then BlueFencer's layers. The plan is journaled before anything
 * changes, so a crash can be undone. What needs no pause (reading the roles to block, logging in to PgBouncer's
 * console) is done before the PAUSE, outside the clients' wait.
 */
public final class FenceBlueStep implements Step {
    @Override
    public String name() {
        return "fence_blue";
    }

    @Override
    public String run(CutoverContext context) throws Exception {
        var pgbouncer = context.pgbouncer();
        Fence fence = BlueFencer.plan(context.blue(), context.deployment().fenceRoles());
        if (pgbouncer != null) {
            pgbouncer.connect();
            // first layer: clients going through PgBouncer wait (paused) instead of failing
            context.remember(name(), java.util.Map.of("pgbouncer.paused", "true"));
            context.pgbouncerPaused(true);
            pgbouncer.pause();
        }
        context.remember(name(), fence.toData());
        context.fence(fence);
        var ended = BlueFencer.apply(context.blue(), fence, context.sparedOnBlue()).endedPids();
        return (pgbouncer == null ? "" : "PgBouncer paused " + pgbouncer.settings().database() + ", ") + "blocked logins of " + (fence.blockedRoles().isEmpty() ? "no role" : String.join(", ", fence.blockedRoles()))
                + ", ended " + ended.size() + " session(s), default_transaction_read_only = on";
    }
}
