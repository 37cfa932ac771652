package io.pgbluegreen.rollback;

import io.pgbluegreen.fence.Fencer;
import io.pgbluegreen.operation.OperationContext;
import io.pgbluegreen.fence.Fence;
import io.pgbluegreen.operation.Step;

/**
 * Gives green back what this rollback's fence_green took: a logical green is a subscriber again as before the
 * cutover once blue is the primary; and a rollback that cannot finish leaves green writable rather than both sides
 * fenced.
 */
public final class UnfenceGreenStep implements Step {
    /** This step's name in the journal and the API. */
    public static final String NAME = "unfence_green";
    private final Fence fence;

    public UnfenceGreenStep(Fence fence) {
        this.fence = fence;
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public String run(OperationContext context) throws Exception {
        return undo(context, fence);
    }

    /** Undoes {@code fence} on green and journals it (its transaction id as ours); says what it did. */
    public static String undo(OperationContext context, Fence fence) throws Exception {
        long xid = Fencer.undo(context.green(), fence);
        context.ownGreenXid(NAME, xid);
        context.journalFenceUndone(FenceGreenStep.NAME, "green unfenced");
        return "logins of " + fence.blockedRoles() + " restored on green, default_transaction_read_only reset";
    }
}
