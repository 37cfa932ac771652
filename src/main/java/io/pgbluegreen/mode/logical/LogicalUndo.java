package io.pgbluegreen.mode.logical;

import io.pgbluegreen.operation.OperationContext;
import io.pgbluegreen.operation.StepRunner;
import io.pgbluegreen.postgres.TargetSession;

import java.util.ArrayList;
import java.util.List;

/**
 * An aborted logical cutover's own changes undone: the reverse subscription it was creating dropped, the forward
 * subscription's commit setting given back and the subscription enabled again. Each part runs on its own.
 */
final class LogicalUndo {
    private LogicalUndo() {
    }

    static List<String> undo(OperationContext context) {
        LogicalState state = context.state(LogicalState.class);
        List<String> failures = new ArrayList<>();
        if (state.reverseSubscription() != null) {
            try (TargetSession blue = context.freshBlue(); TargetSession green = context.freshGreen()) {
                StopReverseStep.drop(blue, green, state.reverseSubscription());
            } catch (Exception e) {
                failures.add("dropping reverse replication " + state.reverseSubscription() + ": " + StepRunner.message(e));
            }
        }
        if (state.subscriptionStopped() || state.previousSynchronousCommit() != null) {
            String subscription = context.deployment().subscription();
            try (TargetSession green = context.freshGreen()) {
                if (state.previousSynchronousCommit() != null) {
                    RestoreSubscriptionCommitStep.restore(green, subscription, state.previousSynchronousCommit());
                }
                if (state.subscriptionStopped()) {
                    green.execute(SubscriptionStatements.enable(subscription));
                }
            } catch (Exception e) {
                failures.add("restoring subscription " + subscription + " on green: " + StepRunner.message(e));
            }
        }
        return failures;
    }
}
