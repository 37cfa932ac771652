package io.pgbluegreen.cutover.step;

import io.pgbluegreen.cutover.CutoverContext;
import io.pgbluegreen.cutover.Sql;
import io.pgbluegreen.cutover.Step;

/**
 * Disables the subscription so green stops following blue. The slot on blue is kept (it is what a re-enable on
 * abort resumes from); drop it once the cutover is final, or it keeps retaining WAL on blue. Ends with a write on
 * green that proves it takes writes and sets the baseline a rollback compares with (set_up_reverse moves it again
 * after its own writes on green).
 */
public final class StopSubscriptionStep implements Step {
    @Override
    public String name() {
        return "stop_subscription";
    }

    @Override
    public String run(CutoverContext context) throws Exception {
        context.subscriptionStopped(true);
        String subscription = Sql.ident(context.deployment().subscription());
        context.green().execute("ALTER SUBSCRIPTION " + subscription + " DISABLE");
        if (context.previousSynchronousCommit() != null) {
            // back to what the operator had, should the subscription ever be enabled again
            RestoreSubscriptionCommitStep.restore(context.green(), context.deployment().subscription(),
                    context.previousSynchronousCommit());
        }
        GreenBaseline.record(context, context.green().write());
        return "subscription " + context.deployment().subscription() + " disabled; slot " + context.deployment().slot()
                + " kept on blue; green takes writes";
    }
}
