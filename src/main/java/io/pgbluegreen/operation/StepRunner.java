package io.pgbluegreen.operation;

import io.pgbluegreen.journal.Journal;
import io.pgbluegreen.journal.JournalEntry;
import io.pgbluegreen.journal.JournalEvent;
import io.pgbluegreen.journal.StepFact;
import jakarta.inject.Singleton;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Instant;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Runs one step of any operation, journaling (fsync) it before and after it runs, and ends operations: the part of
 * running a cutover or a rollback that does not depend on what the operation is.
 */
@Singleton
public final class StepRunner {
    private static final Logger LOG = LoggerFactory.getLogger(StepRunner.class);
    /** fail-after-step fires once per daemon. */
    private final AtomicBoolean injectedFailureSpent = new AtomicBoolean();
    private final Journal journal;
    private final FaultInjection faults;

    public StepRunner(Journal journal, FaultInjection faults) {
        this.journal = journal;
        this.faults = faults;
    }

    public Journal journal() {
        return journal;
    }

    /** Runs one step; returns its failure, or null when it succeeded. */
    public Exception runStep(OperationContext context, Step step) {
        Operation op = context.operation();
        Instant started = Instant.now();
        journal.append(entry(context, JournalEvent.STEP_STARTED, step.name(), StepState.RUNNING.label(), null, started, null));
        op.stepStarted(step.name(), started);
        try {
            String detail = step.run(context);
            if (faults.failsAfter(step.name()) && injectedFailureSpent.compareAndSet(false, true)) {
                throw new StepFailure("injected failure after " + step.name() + " (pg-bluegreen.fault.fail-after-step)");
            }
            Instant ended = Instant.now();
            journal.append(entry(context, JournalEvent.STEP_FINISHED, step.name(), StepState.SUCCEEDED.label(), detail, ended,
                    context.takeAtEnd()));
            op.stepEnded(step.name(), StepState.SUCCEEDED, ended, detail);
            faults.afterStep(step.name());
            return null;
        } catch (Exception e) {
            context.takeAtEnd();
            String message = message(e);
            Instant ended = Instant.now();
            journal.append(entry(context, JournalEvent.STEP_FAILED, step.name(), StepState.FAILED.label(), message, ended, null));
            op.stepEnded(step.name(), StepState.FAILED, ended, message);
            LOG.warn("{} of {}: step {} failed: {}", op.kind(), op.deployment(), step.name(), message);
            return e;
        }
    }

    /** Journals the operation's end and ends it. */
    public void finish(OperationContext context, OperationState state, String detail, List<String> nextActions) {
        Instant at = Instant.now();
        journal.append(entry(context, JournalEvent.OPERATION_FINISHED, null, state.label(), detail, at, null));
        context.operation().finish(state, detail, nextActions, at);
        LOG.info("{} of {} ended {}: {}", context.operation().kind(), context.deployment().name(), state.label(), detail);
    }

    public static JournalEntry entry(OperationContext context, JournalEvent event, String step, String state, String detail,
                                     Instant at, List<StepFact> facts) {
        return new JournalEntry(context.operation().id(), context.deployment().name(), event, step, state, detail, at, facts);
    }

    /** The first line of an exception's message, for a step's detail and the operator. */
    public static String message(Throwable e) {
        String message = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        return message.lines().findFirst().orElse(message);
    }
}
