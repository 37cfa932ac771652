package io.pgbluegreen.rollback;

import io.pgbluegreen.cutover.FenceBlueStep;
import io.pgbluegreen.fence.Fencer;
import io.pgbluegreen.operation.OperationContext;
import io.pgbluegreen.fence.Fence;
import io.pgbluegreen.operation.Step;

/** Undoes exactly the fence the cutover journaled: blue takes logins and writes again. */
public final class UnfenceBlueStep implements Step {
    /** This step's name in the journal and the API. */
    public static final String NAME = "unfence_blue";
    private final Fence fence;

    public UnfenceBlueStep(Fence fence) {
        this.fence = fence;
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public String run(OperationContext context) throws Exception {
        Fencer.undo(context.blue(), fence);
        context.journalFenceUndone(FenceBlueStep.NAME, "blue unfenced");
        return "logins of " + fence.blockedRoles() + " restored, default_transaction_read_only reset";
    }
}
