package io.pgbluegreen.cutover.step;

import io.pgbluegreen.cutover.BlueFencer;
import io.pgbluegreen.cutover.CutoverContext;
import io.pgbluegreen.cutover.Fence;
import io.pgbluegreen.cutover.Step;

/**
 * Gives green back what this rollback's fence_green took: a logical green is a subscriber again as before the
 * cutover once blue is the primary; and a rollback that cannot finish leaves green writable rather than both sides
 * fenced.
 */
public final class UnfenceGreenStep implements Step {
    private final Fence fence;

    public UnfenceGreenStep(Fence fence) {
        this.fence = fence;
    }

    @Override
    public String name() {
        return "unfence_green";
    }

    @Override
    public String run(CutoverContext context) throws Exception {
        return undo(context, fence);
    }

    /** Undoes {@code fence} on green and journals it (its transaction id as ours); says what it did. */
    public static String undo(CutoverContext context, Fence fence) throws Exception {
        long xid = BlueFencer.undo(context.green(), fence);
        context.ownGreenXid("unfence_green", xid);
        context.journalFenceUndone("fence_green", "green unfenced");
        return "logins of " + fence.blockedRoles() + " restored on green, default_transaction_read_only reset";
    }
}
