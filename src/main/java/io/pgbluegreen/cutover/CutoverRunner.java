package io.pgbluegreen.cutover;

import io.pgbluegreen.fence.Fencer;
import io.pgbluegreen.operation.ModeRunbook;
import io.pgbluegreen.operation.OperationContext;
import io.pgbluegreen.operation.OperationState;
import io.pgbluegreen.operation.Runbook;
import io.pgbluegreen.operation.Step;
import io.pgbluegreen.operation.StepRefused;
import io.pgbluegreen.operation.StepRunner;
import io.pgbluegreen.postgres.TargetSession;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * Runs a mode's runbook in order and decides what a failure means: before the point of no return, undo (the mode's
 * own changes, then blue's fence) and end ABORTED with blue writable; from it on, end FAILED with blue still fenced
 * and the safe next actions spelled out.
 */
public final class CutoverRunner {
    private static final Logger LOG = LoggerFactory.getLogger(CutoverRunner.class);
    private final StepRunner steps;
    private final ModeRunbook mode;

    public CutoverRunner(StepRunner steps, ModeRunbook mode) {
        this.steps = steps;
        this.mode = mode;
    }

    /** Runs the runbook's steps from {@code from} on and ends the operation. */
    public void run(OperationContext context, int from) {
        Runbook runbook = mode.runbook();
        try (context) {
            List<Step> runbookSteps = runbook.steps();
            for (int i = from; i < runbookSteps.size(); i++) {
                String name = runbookSteps.get(i).name();
                if (context.stopRequested() && runbook.abortableBefore(i)) {
                    abort(context, "the daemon was asked to stop before " + name);
                    return;
                }
                Exception failure = steps.runStep(context, runbookSteps.get(i));
                if (failure != null) {
                    boolean refusedAtThePoint = runbook.isPointOfNoReturn(i) && failure instanceof StepRefused;
                    if (runbook.pastPointOfNoReturn(i) && !refusedAtThePoint) {
                        fail(context, name + " failed: " + StepRunner.message(failure));
                    } else {
                        abort(context, name + " failed: " + StepRunner.message(failure));
                    }
                    return;
                }
            }
            steps.finish(context, OperationState.SUCCEEDED, mode.succeeded(), mode.nextActionsAfterSuccess(context));
        } catch (RuntimeException e) {
            // the journal itself failed: the operation cannot vouch for anything any more
            LOG.error("operation {} stopped", context.operation().id(), e);
            context.operation().finish(OperationState.FAILED, "internal error: " + StepRunner.message(e),
                    List.of("check blue and green by hand; the journal at " + steps.journal().path() + " says how far it got"),
                    Instant.now());
        }
    }

    /** Undo what this operation changed, so that blue takes writes again. */
    public void abort(OperationContext context, String reason) {
        List<String> failures = undo(context);
        if (failures.isEmpty()) {
            steps.finish(context, OperationState.ABORTED, reason + "; blue is writable again", List.of(
                    "fix the cause and run the cutover again"));
            return;
        }
        List<String> actions = new ArrayList<>(List.of(
                "blue may still be fenced: POST /deployments/" + context.deployment().name() + "/rollback",
                "or by hand: ALTER SYSTEM RESET default_transaction_read_only; SELECT pg_reload_conf(); ALTER ROLE ... LOGIN for "
                        + (context.fence() == null ? "no role" : context.fence().blockedRoles())));
        if (context.pgbouncerPaused()) {
            actions.add("PgBouncer is still PAUSEd (clients wait): RESUME " + context.pgbouncer().settings().database()
                    + " once blue takes writes again");
        }
        steps.finish(context, OperationState.FAILED, reason + "; undoing it failed in part: " + String.join("; ", failures),
                actions);
    }

    /**
     * Undoes what the operation changed, each part on its own so that one failure does not keep the others from
     * running; returns what failed. PgBouncer is resumed last and only once blue is unfenced: resumed earlier, its
     * clients would meet a read-only blue with their logins blocked instead of waiting.
     */
    private List<String> undo(OperationContext context) {
        List<String> failures = new ArrayList<>(mode.undo(context));
        boolean blueUnfenced = context.fence() == null;
        if (context.fence() != null) {
            try (TargetSession blue = context.freshBlue()) {
                Fencer.undo(blue, context.fence());
                context.journalFenceUndone(FenceBlueStep.NAME, "blue unfenced");
                blueUnfenced = true;
            } catch (Exception e) {
                failures.add("unfencing blue: " + StepRunner.message(e));
            }
        }
        String blueRefuses = blueUnfenced && context.pgbouncerPaused() ? mode.whyBlueCannotTakeClients(context) : null;
        if (blueRefuses != null) {
            failures.add("PgBouncer stays paused rather than send clients to blue: " + blueRefuses);
        } else if (context.pgbouncerPaused() && blueUnfenced) {
            try {
                context.pgbouncer().resume();
                context.pgbouncerPaused(false);
            } catch (Exception e) {
                failures.add("resuming PgBouncer: " + StepRunner.message(e));
            }
        }
        return failures;
    }

    private void fail(OperationContext context, String reason) {
        List<String> actions = new ArrayList<>();
        if (context.pgbouncerPaused()) {
            actions.add("PgBouncer is still PAUSEd (clients wait): RESUME " + context.pgbouncer().settings().database()
                    + " once the database it points at is the writable one");
        }
        actions.addAll(mode.actionsAfterFailurePastPointOfNoReturn(context.deployment().name()));
        steps.finish(context, OperationState.FAILED, reason + "; " + mode.stateAfterFailurePastPointOfNoReturn(), actions);
    }
}
