package io.pgbluegreen.cutover.step;

import io.pgbluegreen.cutover.BlueFencer;
import io.pgbluegreen.cutover.CutoverContext;
import io.pgbluegreen.cutover.Fence;
import io.pgbluegreen.cutover.Step;

/** Fences blue (see BlueFencer); the plan is journaled before anything changes, so a crash can be undone. */
public final class FenceBlueStep implements Step {
    @Override
    public String name() {
        return "fence_blue";
    }

    @Override
    public String run(CutoverContext context) throws Exception {
        Fence fence = BlueFencer.plan(context.blue(), context.deployment().fenceRoles());
        context.remember(name(), fence.toData());
        context.fence(fence);
        var ended = BlueFencer.apply(context.blue(), fence, context.sparedPids());
        context.endedSessions(ended);
        return "blocked logins of " + (fence.blockedRoles().isEmpty() ? "no role" : String.join(", ", fence.blockedRoles()))
                + ", ended " + ended.size() + " session(s), default_transaction_read_only = on";
    }
}
