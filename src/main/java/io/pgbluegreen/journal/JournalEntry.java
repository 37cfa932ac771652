package io.pgbluegreen.journal;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.serde.annotation.Serdeable;

import java.time.Instant;
import java.util.Map;

/**
 * One line of the journal. {@code event} is one of: operation-started, step-started, step-finished, step-failed,
 * operation-finished, operation-interrupted, override. {@code data} carries what an undo or a restarted daemon
 * needs (e.g. the roles a fence blocked).
 */
@Serdeable
public record JournalEntry(String operationId, String deployment, String event, @Nullable String step,
                           @Nullable String state, @Nullable String detail, Instant at,
                           @Nullable Map<String, String> data) {
}
