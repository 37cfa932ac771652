package io.pgbluegreen.operation;

import io.pgbluegreen.journal.JournalEntry;
import io.pgbluegreen.journal.JournalEvent;
import io.pgbluegreen.journal.StepFact;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Hand-built journal entries of one deployment, in order, for tests that read a journal without a daemon. */
public final class Entries {
    private final String deployment;
    private final List<JournalEntry> entries = new ArrayList<>();
    private Instant clock = Instant.parse("2026-11-22T03:41:07Z");

    public Entries(String deployment) {
        this.deployment = deployment;
    }

    public List<JournalEntry> list() {
        return List.copyOf(entries);
    }

    public Entries started(String op, OperationKind kind) {
        return add(op, JournalEvent.OPERATION_STARTED, null, OperationState.RUNNING.label(), kind.label(), null);
    }

    /** The step started and finished, with the facts journaled at its end. */
    public Entries step(String op, String step, StepFact... atEnd) {
        return stepStarted(op, step).add(op, JournalEvent.STEP_FINISHED, step, StepState.SUCCEEDED.label(), "done",
                atEnd.length == 0 ? null : List.of(atEnd));
    }

    public Entries stepStarted(String op, String step) {
        return add(op, JournalEvent.STEP_STARTED, step, StepState.RUNNING.label(), null, null);
    }

    public Entries stepFailed(String op, String step) {
        return add(op, JournalEvent.STEP_FAILED, step, StepState.FAILED.label(), "it broke", null);
    }

    public Entries data(String op, String step, StepFact... facts) {
        return add(op, JournalEvent.STEP_DATA, step, null, null, List.of(facts));
    }

    /** Step data as earlier versions journaled it: strings under keys. */
    public Entries earlierData(String op, String step, Map<String, String> data) {
        entries.add(new JournalEntry(op, deployment, JournalEvent.STEP_DATA, step, null, null, tick(), null, data));
        return this;
    }

    public Entries fenceUndone(String op, String fenceStep) {
        return add(op, JournalEvent.FENCE_UNDONE, fenceStep, null, "unfenced", null);
    }

    public Entries finished(String op, OperationState state) {
        return add(op, JournalEvent.OPERATION_FINISHED, null, state.label(), "ended " + state.label(), null);
    }

    public Entries add(String op, JournalEvent event, String step, String state, String detail, List<StepFact> facts) {
        entries.add(new JournalEntry(op, deployment, event, step, state, detail, tick(), facts));
        return this;
    }

    private Instant tick() {
        clock = clock.plusMillis(10);
        return clock;
    }
}
