package io.pgbluegreen.cutover;

import io.pgbluegreen.postgres.Statements;
import io.pgbluegreen.fence.Fencer;
import io.pgbluegreen.operation.OperationContext;
import io.pgbluegreen.operation.Step;
import io.pgbluegreen.operation.StepFailure;
import io.pgbluegreen.fence.XidAudit;

import java.util.List;

/**
 * After the switch: blue is still fenced, no session but ours got onto it, and nothing wrote on it since its final
 * position was captured: the transaction ids it handed out since are ours, aborted, or ANALYZE's (autovacuum keeps
 * running on a fenced blue), never a client's. Changes nothing on green (its baseline was taken before clients
 * could reach it).
 */
public final class PostChecksStep implements Step {
    /** This step's name in the journal and the API. */
    public static final String NAME = "post_checks";
    @Override
    public String name() {
        return NAME;
    }

    @Override
    public String run(OperationContext context) throws Exception {
        var blue = context.blue();
        if (!Fencer.holds(blue, context.fence())) {
            throw new StepFailure("blue is no longer fenced: someone re-enabled logins or read-write");
        }
        List<String> others = Fencer.otherSessions(blue, context.sparedOnBlue());
        if (!others.isEmpty()) {
            throw new StepFailure("session(s) got onto fenced blue: " + String.join(", ", others));
        }
        long nextXid = blue.queryLong(Statements.NEXT_XID);
        XidAudit.Finding finding = XidAudit.auditFenced(blue, context.blueTarget(), context.sampling(), context.blueNextXid(),
                nextXid, context.ownBlueXids());
        if (!finding.clean()) {
            throw new StepFailure("something wrote on blue after the fence: " + finding.summary()
                    + " (next xid " + context.blueNextXid() + " -> " + nextXid + "); those writes are not on green");
        }
        return "blue fenced, no session but ours, " + finding.summary();
    }
}
