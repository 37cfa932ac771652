package io.pgbluegreen.cutover.step;

import io.pgbluegreen.cutover.BlueFencer;
import io.pgbluegreen.cutover.CutoverContext;
import io.pgbluegreen.cutover.Fence;
import io.pgbluegreen.cutover.Step;

/** Undoes exactly the fence the cutover journaled: blue takes logins and writes again. */
public final class UnfenceBlueStep implements Step {
    private final Fence fence;

    public UnfenceBlueStep(Fence fence) {
        this.fence = fence;
    }

    @Override
    public String name() {
        return "unfence_blue";
    }

    @Override
    public String run(CutoverContext context) throws Exception {
        BlueFencer.undo(context.blue(), fence);
        context.journalFenceUndone();
        return "logins of " + fence.blockedRoles() + " restored, default_transaction_read_only reset";
    }
}
