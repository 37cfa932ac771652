package io.pgbluegreen.cutover.step;

import io.pgbluegreen.cutover.BlueFencer;
import io.pgbluegreen.cutover.CutoverContext;
import io.pgbluegreen.cutover.Fence;
import io.pgbluegreen.cutover.Step;

import java.util.List;

/** Before blue is unfenced after a promotion, green gets the same fence, so only one side ever takes writes. */
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
        var ended = BlueFencer.apply(context.green(), fence, List.of());
        return "green fenced: logins of " + fence.blockedRoles() + " blocked, " + ended.size() + " session(s) ended, read-only";
    }
}
