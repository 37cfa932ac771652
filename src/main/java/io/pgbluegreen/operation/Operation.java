package io.pgbluegreen.operation;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/** The live record of one cutover or rollback; steps and state change under its lock, readers get a view. */
public final class Operation {
    private final String id;
    private final String deployment;
    private final OperationKind kind;
    private final Instant startedAt;
    private final List<StepView> steps = new ArrayList<>();
    private OperationState state = OperationState.RUNNING;
    private Instant finishedAt;
    private String detail;
    private List<String> nextActions = List.of();
    /** Told after every change, outside the lock (it reads other operations' views: no lock order to keep). */
    private volatile Runnable onChange = () -> { };

    public Operation(String id, String deployment, OperationKind kind, Instant startedAt) {
        this.id = id;
        this.deployment = deployment;
        this.kind = kind;
        this.startedAt = startedAt;
    }

    public static Operation start(String deployment, OperationKind kind) {
        return new Operation(UUID.randomUUID().toString(), deployment, kind, Instant.now());
    }

    public String id() {
        return id;
    }

    public String deployment() {
        return deployment;
    }

    /** When it was admitted: the time its journal line carries too, so a restart reads the same start. */
    public Instant startedAt() {
        return startedAt;
    }

    public OperationKind kind() {
        return kind;
    }

    public synchronized OperationState state() {
        return state;
    }

    /** Who follows this operation's changes (the operation metrics). */
    void onChange(Runnable listener) {
        onChange = listener;
    }

    public void stepStarted(String name, Instant at) {
        synchronized (this) {
            steps.add(new StepView(name, StepState.RUNNING.label(), at, null, null));
        }
        onChange.run();
    }

    public void stepEnded(String name, StepState stepState, Instant at, String stepDetail) {
        synchronized (this) {
            endStep(name, stepState, at, stepDetail);
        }
        onChange.run();
    }

    private void endStep(String name, StepState stepState, Instant at, String stepDetail) {
        for (int i = steps.size() - 1; i >= 0; i--) {
            StepView s = steps.get(i);
            if (s.name().equals(name) && s.finishedAt() == null) {
                steps.set(i, new StepView(name, stepState.label(), s.startedAt(), at, stepDetail));
                return;
            }
        }
        steps.add(new StepView(name, stepState.label(), null, at, stepDetail));
    }

    public void finish(OperationState finalState, String finalDetail, List<String> actions, Instant at) {
        synchronized (this) {
            state = finalState;
            detail = finalDetail;
            nextActions = List.copyOf(actions);
            finishedAt = at;
        }
        onChange.run();
    }

    public synchronized String lastCompletedStep() {
        for (int i = steps.size() - 1; i >= 0; i--) {
            if (steps.get(i).stepState() == StepState.SUCCEEDED) {
                return steps.get(i).name();
            }
        }
        return null;
    }

    public synchronized OperationView view() {
        return new OperationView(id, deployment, kind.label(), state.label(), startedAt, finishedAt, List.copyOf(steps), detail,
                nextActions);
    }
}
