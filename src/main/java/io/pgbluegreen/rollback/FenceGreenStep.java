package io.pgbluegreen.rollback;

import io.pgbluegreen.fence.Fencer;
import io.pgbluegreen.operation.OperationContext;
import io.pgbluegreen.fence.Fence;
import io.pgbluegreen.operation.Step;

import java.util.List;

/**
 * A rollback fences green before it reads green's final position and before blue is unfenced, so only one side
 * ever takes writes and no write can slip in after the reading. The fence is journaled first (an undo or a restart
 * gives exactly it back), and its own transaction id too (it is not a client's write). An earlier rollback's fence
 * that was never undone (it was cut off) is applied again as journaled, not planned anew from a green that is
 * fenced already: planned anew, it would record nothing to give back. The walsender of the reverse slot is spared:
 * blue's reverse subscription must keep reading green.
 */
public final class FenceGreenStep implements Step {
    /** This step's name in the journal and the API. */
    public static final String NAME = "fence_green";
    private final List<String> roles;
    private final String reverseSlot;
    private final Fence earlier;

    /** @param earlier the fence a cut-off rollback left on green (null: none) */
    public FenceGreenStep(List<String> roles, String reverseSlot, Fence earlier) {
        this.roles = roles;
        this.reverseSlot = reverseSlot;
        this.earlier = earlier;
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public String run(OperationContext context) throws Exception {
        Fence fence = earlier != null ? earlier : Fencer.plan(context.green(), roles);
        context.remember(name(), fence.fact());
        context.greenFence(fence);
        Fencer.Applied applied = Fencer.apply(context.green(), fence, spared(reverseSlot));
        context.ownGreenXid(name(), applied.xid());
        return "green fenced" + (earlier != null ? " (as an earlier rollback left it)" : "") + ": logins of "
                + fence.blockedRoles() + " blocked, " + applied.endedPids().size() + " session(s) ended, read-only";
    }

    /** What a fence of green leaves alone: the walsender of blue's reverse subscription, if there is one. */
    static Fencer.Spared spared(String reverseSlot) {
        return reverseSlot == null ? Fencer.Spared.NOTHING : new Fencer.Spared(List.of(), List.of(reverseSlot));
    }
}
