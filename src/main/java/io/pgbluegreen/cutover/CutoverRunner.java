package io.pgbluegreen.cutover;

import io.pgbluegreen.cutover.step.RestoreSubscriptionCommitStep;
import io.pgbluegreen.cutover.step.StopReverseStep;
import io.pgbluegreen.journal.Journal;
import io.pgbluegreen.journal.JournalEntry;
import io.pgbluegreen.target.TargetSession;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Runs a runbook's steps in order, journaling (fsync) each before and after it runs, and decides what a failure
 * means: before the point of no return, undo (re-enable the subscription, unfence blue) and end ABORTED with blue
 * writable; from it on, end FAILED with blue still fenced and the safe next actions spelled out.
 */
public final class CutoverRunner {
    private static final Logger LOG = LoggerFactory.getLogger(CutoverRunner.class);
    /** fail-after-step fires once per daemon. */
    private final AtomicBoolean injectedFailureSpent = new AtomicBoolean();
    private final Journal journal;
    private final FaultInjection faults;

    public CutoverRunner(Journal journal, FaultInjection faults) {
        this.journal = journal;
        this.faults = faults;
    }

    /** Runs one step; returns its failure, or null when it succeeded. */
    public Exception runStep(CutoverContext context, Step step) {
        Operation op = context.operation();
        Instant started = Instant.now();
        journal.append(entry(context, "step-started", step.name(), "running", null, started, null));
        op.stepStarted(step.name(), started);
        try {
            String detail = step.run(context);
            if (faults.failsAfter(step.name()) && injectedFailureSpent.compareAndSet(false, true)) {
                throw new StepFailure("injected failure after " + step.name() + " (pg-bluegreen.fault.fail-after-step)");
            }
            Instant ended = Instant.now();
            journal.append(entry(context, "step-finished", step.name(), "succeeded", detail, ended, context.takeAtEnd()));
            op.stepEnded(step.name(), "succeeded", ended, detail);
            faults.afterStep(step.name());
            return null;
        } catch (Exception e) {
            context.takeAtEnd();
            String message = message(e);
            Instant ended = Instant.now();
            journal.append(entry(context, "step-failed", step.name(), "failed", message, ended, null));
            op.stepEnded(step.name(), "failed", ended, message);
            LOG.warn("{} of {}: step {} failed: {}", op.kind(), op.deployment(), step.name(), message);
            return e;
        }
    }

    /** Runs the steps from {@code from} on and ends the operation. */
    public void run(CutoverContext context, Runbook runbook, int from) {
        try (context) {
            List<Step> steps = runbook.steps();
            for (int i = from; i < steps.size(); i++) {
                if (context.stopRequested() && runbook.abortableBefore(i)) {
                    abort(context, "the daemon was asked to stop before " + steps.get(i).name());
                    return;
                }
                Exception failure = runStep(context, steps.get(i));
                if (failure != null) {
                    if (runbook.pastPointOfNoReturn(i)) {
                        fail(context, steps.get(i).name() + " failed: " + message(failure));
                    } else {
                        abort(context, steps.get(i).name() + " failed: " + message(failure));
                    }
                    return;
                }
            }
            finish(context, OperationState.SUCCEEDED, "green is the primary; blue stays fenced (read-only, logins blocked)",
                    List.of("point any remaining clients at green: " + context.greenAddress(),
                            "POST /deployments/" + context.deployment().name() + "/rollback while green has taken no writes"));
        } catch (RuntimeException e) {
            // the journal itself failed: the operation cannot vouch for anything any more
            LOG.error("operation {} stopped", context.operation().id(), e);
            context.operation().finish(OperationState.FAILED, "internal error: " + message(e),
                    List.of("check blue and green by hand; the journal at " + journal.path() + " says how far it got"), Instant.now());
        }
    }

    /** Undo what this operation changed, so that blue takes writes again. */
    public void abort(CutoverContext context, String reason) {
        List<String> failures = undo(context);
        if (failures.isEmpty()) {
            finish(context, OperationState.ABORTED, reason + "; blue is writable again", List.of(
                    "fix the cause and run the cutover again"));
            return;
        }
        List<String> actions = new java.util.ArrayList<>(List.of(
                "blue may still be fenced: POST /deployments/" + context.deployment().name() + "/rollback",
                "or by hand: ALTER SYSTEM RESET default_transaction_read_only; SELECT pg_reload_conf(); ALTER ROLE ... LOGIN for "
                        + (context.fence() == null ? "no role" : context.fence().blockedRoles())));
        if (context.pgbouncerPaused()) {
            actions.add("PgBouncer is still PAUSEd (clients wait): RESUME " + context.pgbouncer().settings().database()
                    + " once blue takes writes again");
        }
        finish(context, OperationState.FAILED, reason + "; undoing it failed in part: " + String.join("; ", failures), actions);
    }

    /**
     * Undoes what the operation changed, each part on its own so that one failure does not keep the others from
     * running; returns what failed. PgBouncer is resumed last and only once blue is unfenced: resumed earlier, its
     * clients would meet a read-only blue with their logins blocked instead of waiting.
     */
    private List<String> undo(CutoverContext context) {
        List<String> failures = new java.util.ArrayList<>();
        if (context.reverseSubscription() != null) {
            try (TargetSession blue = context.freshBlue(); TargetSession green = context.freshGreen()) {
                StopReverseStep.drop(blue, green, context.reverseSubscription());
            } catch (Exception e) {
                failures.add("dropping reverse replication " + context.reverseSubscription() + ": " + message(e));
            }
        }
        if (context.subscriptionStopped() || context.previousSynchronousCommit() != null) {
            try (TargetSession green = context.freshGreen()) {
                String subscription = Sql.ident(context.deployment().subscription());
                if (context.previousSynchronousCommit() != null) {
                    RestoreSubscriptionCommitStep.restore(green, context.deployment().subscription(),
                            context.previousSynchronousCommit());
                }
                if (context.subscriptionStopped()) {
                    green.execute("ALTER SUBSCRIPTION " + subscription + " ENABLE");
                }
            } catch (Exception e) {
                failures.add("restoring subscription " + context.deployment().subscription() + " on green: " + message(e));
            }
        }
        boolean blueUnfenced = context.fence() == null;
        if (context.fence() != null) {
            try (TargetSession blue = context.freshBlue()) {
                BlueFencer.undo(blue, context.fence());
                context.journalFenceUndone();
                blueUnfenced = true;
            } catch (Exception e) {
                failures.add("unfencing blue: " + message(e));
            }
        }
        if (context.pgbouncerPaused() && blueUnfenced) {
            try {
                context.pgbouncer().resume();
                context.pgbouncerPaused(false);
            } catch (Exception e) {
                failures.add("resuming PgBouncer: " + message(e));
            }
        }
        return failures;
    }

    private void fail(CutoverContext context, String reason) {
        List<String> actions = new java.util.ArrayList<>();
        if (context.pgbouncerPaused()) {
            actions.add("PgBouncer is still PAUSEd (clients wait): RESUME " + context.pgbouncer().settings().database()
                    + " once the database it points at is the writable one");
        }
        actions.addAll(List.of("inspect green (pg_is_in_recovery(), the server log) and finish by hand, or",
                        "POST /deployments/" + context.deployment().name() + "/rollback (refused if green took writes)"));
        finish(context, OperationState.FAILED, reason + "; blue stays fenced so that there are never two writable primaries",
                actions);
    }

    private void finish(CutoverContext context, OperationState state, String detail, List<String> nextActions) {
        Instant at = Instant.now();
        journal.append(entry(context, "operation-finished", null, state.label(), detail, at, null));
        context.operation().finish(state, detail, nextActions, at);
        LOG.info("{} of {} ended {}: {}", context.operation().kind(), context.deployment().name(), state.label(), detail);
    }

    static JournalEntry entry(CutoverContext context, String event, String step, String state, String detail, Instant at,
                              Map<String, String> data) {
        return new JournalEntry(context.operation().id(), context.deployment().name(), event, step, state, detail, at, data);
    }

    static String message(Throwable e) {
        String message = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        return message.lines().findFirst().orElse(message);
    }
}
