package io.pgbluegreen.cutover.step;

import io.pgbluegreen.cutover.BlueFencer;
import io.pgbluegreen.cutover.CutoverContext;
import io.pgbluegreen.cutover.Fence;
import io.pgbluegreen.cutover.Step;

import java.util.List;

/**
 * A rollback fences green before it reads green's final position and before blue is unfenced, so only one side
 * ever takes writes and no write can slip in after the reading. The fence is journaled first (an undo or a restart
 * gives exactly it back), and its own transaction id too (it is not a client's write).
 */
public final class FenceGreenStep implements Step {
    private final List<String> roles;

    public FenceGreenStep(List<String> roles) {
        this.roles = roles;
    }

    @Override
    public String name() {
        return "fence_green";
    }

    @Override
    public String run(CutoverContext context) throws Exception {
        Fence fence = BlueFencer.plan(context.green(), roles);
        context.remember(name(), fence.toData());
        context.greenFence(fence);
        BlueFencer.Applied applied = BlueFencer.apply(context.green(), fence, List.of());
        context.ownGreenXid(name(), applied.xid());
        return "green fenced: logins of " + fence.blockedRoles() + " blocked, " + applied.endedPids().size()
                + " session(s) ended, read-only";
    }
}
