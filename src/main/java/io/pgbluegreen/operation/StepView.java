package io.pgbluegreen.operation;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.serde.annotation.Serdeable;

import java.time.Instant;

/** One step of an operation as GET /operations/{id} shows it; {@code state} is a {@link StepState}'s label. */
@Serdeable
public record StepView(String name, String state, @Nullable Instant startedAt, @Nullable Instant finishedAt,
                       @Nullable String detail) {

    /** Its state, typed. */
    public StepState stepState() {
        return StepState.ofLabel(state);
    }
}
