package io.pgbluegreen.journal;

import io.micronaut.core.annotation.Creator;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.serde.annotation.Serdeable;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * One line of the journal. {@code facts} carry what an undo or a restarted daemon needs (e.g. the roles a fence
 * blocked), typed. {@code data} is read only: the step data of journals written by earlier versions (strings
 * under keys, see {@link EarlierFormat}) and the journal's own {@link JournalEvent#TORN_LINE} record.
 */
@Serdeable
public record JournalEntry(String operationId, String deployment, JournalEvent event, @Nullable String step,
                           @Nullable String state, @Nullable String detail, Instant at,
                           @Nullable List<StepFact> facts, @Nullable Map<String, String> data) {

    @Creator
    public JournalEntry {
    }

    /** An entry as this version writes it: facts typed, no string data. */
    public JournalEntry(String operationId, String deployment, JournalEvent event, @Nullable String step,
                        @Nullable String state, @Nullable String detail, Instant at, @Nullable List<StepFact> facts) {
        this(operationId, deployment, event, step, state, detail, at, facts, null);
    }

    /** The facts this entry carries, whichever version wrote it (none: empty). */
    public List<StepFact> readFacts() {
        return facts != null ? facts : EarlierFormat.facts(this);
    }
}
