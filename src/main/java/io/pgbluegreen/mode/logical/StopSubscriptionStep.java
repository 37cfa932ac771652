package io.pgbluegreen.mode.logical;

import io.pgbluegreen.journal.StepFact;
import io.pgbluegreen.operation.GreenBaseline;
import io.pgbluegreen.operation.OperationContext;
import io.pgbluegreen.postgres.Sql;
import io.pgbluegreen.operation.Step;

/**
 * Disables the subscription so green stops following blue. The slot on blue is kept (it is what a re-enable on
 * abort resumes from); drop it once the cutover is final, or it keeps retaining WAL on blue. Ends with a write on
 * green that proves it takes writes and sets the baseline a rollback compares with (set_up_reverse moves it again
 * after its own writes on green).
 */
public final class StopSubscriptionStep implements Step {
    /** This step's name in the journal and the API. */
    public static final String NAME = "stop_subscription";
    @Override
    public String name() {
        return NAME;
    }

    @Override
    public String run(OperationContext context) throws Exception {
        LogicalState state = context.state(LogicalState.class);
        state.subscriptionStopped(true);
        context.green().execute(SubscriptionStatements.disable(context.deployment().subscription()));
        if (state.previousSynchronousCommit() != null) {
            // back to what the operator had, should the subscription ever be enabled again
            RestoreSubscriptionCommitStep.restore(context.green(), context.deployment().subscription(),
                    state.previousSynchronousCommit());
        }
        GreenBaseline.record(context, context.green().write());
        // with the step's end: a rollback reads the subscription as set back only once this step finished
        context.rememberAtEnd(new StepFact.SynchronousCommitRestored());
        return "subscription " + context.deployment().subscription() + " disabled; slot " + context.deployment().slot()
                + " kept on blue; green takes writes";
    }
}
