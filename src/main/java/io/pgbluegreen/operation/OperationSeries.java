package io.pgbluegreen.operation;

import io.micronaut.core.annotation.Nullable;
import io.pgbluegreen.metrics.SeriesList;

import java.time.Duration;
import java.util.Arrays;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static io.pgbluegreen.metrics.MetricCatalog.*;

/**
 * A deployment's operations as series, derived from the operations themselves (which the journal backs) rather than
 * counted up in memory: a restarted daemon reads the same journal and exports the same counts, and an operation of an
 * earlier run counts once. Labels are the deployment's configured name and enum labels only (step names are the
 * runbooks' constants).
 */
public final class OperationSeries {
    /** The states an operation can end in: every counter of them exists from the start, at 0. */
    static final List<OperationState> FINAL = Arrays.stream(OperationState.values())
            .filter(s -> s != OperationState.RUNNING).toList();
    static final List<String> STATES = Arrays.stream(OperationState.values()).map(OperationState::label).toList();
    /** Newest last; ties (same start instant) broken by id so that "last" is the same on every read. */
    public static final Comparator<OperationView> BY_START = Comparator.comparing(OperationView::startedAt)
            .thenComparing(OperationView::id);

    private OperationSeries() {
    }

    /** {@code ops}: the deployment's operations; {@code window}: its mode's write window (null: not measured). */
    public static void add(SeriesList out, String deployment, List<OperationView> ops, @Nullable WriteWindow window) {
        boolean running = false;
        Map<OperationKind, OperationView> last = new EnumMap<>(OperationKind.class);
        for (OperationView op : ops) {
            running |= op.operationState() == OperationState.RUNNING;
            last.merge(op.operationKind(), op, (a, b) -> BY_START.compare(a, b) >= 0 ? a : b);
        }
        for (OperationKind kind : OperationKind.values()) {
            out.add(OPERATIONS_STARTED, ops.stream().filter(op -> op.operationKind() == kind).count(), deployment, kind.label());
            for (OperationState state : FINAL) {
                out.add(OPERATIONS_ENDED, ops.stream().filter(op -> op.operationKind() == kind && op.operationState() == state)
                        .count(), deployment, kind.label(), state.label());
            }
        }
        out.flag(OPERATION_RUNNING, running, deployment);
        last.forEach((kind, op) -> lastOne(out, deployment, kind, op, kind == OperationKind.CUTOVER ? window : null));
    }

    private static void lastOne(SeriesList out, String deployment, OperationKind kind, OperationView op,
                                @Nullable WriteWindow window) {
        out.stateSet(LAST_OPERATION_STATE, STATES, op.state(), deployment, kind.label());
        if (op.finishedAt() != null) {
            out.add(LAST_OPERATION_END, op.finishedAt().toEpochMilli() / 1000.0, deployment, kind.label());
        }
        stepDurations(op).forEach((step, seconds) ->
                out.add(LAST_OPERATION_STEP_DURATION, seconds, deployment, kind.label(), step));
        if (window != null) {
            out.add(LAST_OPERATION_WRITE_UNAVAILABLE, window.seconds(op), deployment, kind.label());
        }
    }

    /** Finished steps in the order they ran; a name seen twice (a step run again) sums, one series per step. */
    static Map<String, Double> stepDurations(OperationView op) {
        Map<String, Double> seconds = new LinkedHashMap<>();
        for (StepView step : op.steps()) {
            if (step.startedAt() != null && step.finishedAt() != null) {
                seconds.merge(step.name(), Duration.between(step.startedAt(), step.finishedAt()).toNanos() / 1e9, Double::sum);
            }
        }
        return seconds;
    }
}
