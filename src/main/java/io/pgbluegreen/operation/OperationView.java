package io.pgbluegreen.operation;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.serde.annotation.Serdeable;

import java.time.Instant;
import java.util.List;

/**
 * GET /operations/{id}: what ran, how far it got, and what an operator can safely do next. {@code kind} and
 * {@code state} are the labels of an {@link OperationKind} and an {@link OperationState}.
 */
@Serdeable
public record OperationView(String id, String deployment, String kind, String state, Instant startedAt,
                            @Nullable Instant finishedAt, List<StepView> steps, @Nullable String detail,
                            List<String> nextActions) {

    /** Its kind, typed. */
    public OperationKind operationKind() {
        return OperationKind.ofLabel(kind);
    }

    /** Its state, typed. */
    public OperationState operationState() {
        return OperationState.ofLabel(state);
    }
}
