package io.pgbluegreen.cutover.step;

import io.pgbluegreen.cutover.BlueFencer;
import io.pgbluegreen.cutover.CutoverContext;
import io.pgbluegreen.cutover.Step;
import io.pgbluegreen.cutover.StepFailure;

import java.util.Map;

/**
 * After the switch: blue is still fenced, green takes writes, and blue has handed out no transaction id since
 * its final position was captured (nothing was written on blue after the fence).
 */
public final class PostChecksStep implements Step {
    @Override
    public String name() {
        return "post_checks";
    }

    @Override
    public String run(CutoverContext context) throws Exception {
        if (!BlueFencer.holds(context.blue(), context.fence())) {
            throw new StepFailure("blue is no longer fenced: someone re-enabled logins or read-write");
        }
        long nextXid = context.blue().queryLong(ProveQuietStep.NEXT_XID);
        if (nextXid != context.blueNextXid()) {
            throw new StepFailure("blue handed out transaction ids after the fence (next xid " + context.blueNextXid()
                    + " -> " + nextXid + "): something wrote on blue");
        }
        long xid = WritableCheck.prove(context.green());
        context.remember(name(), Map.of("green_next_xid", String.valueOf(xid + 1)));
        return "blue fenced and unchanged since the fence, green writable";
    }
}
