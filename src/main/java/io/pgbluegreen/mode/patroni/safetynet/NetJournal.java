package io.pgbluegreen.mode.patroni.safetynet;

import io.pgbluegreen.journal.Journal;
import io.pgbluegreen.journal.JournalEntry;
import io.pgbluegreen.journal.JournalEvent;
import io.pgbluegreen.journal.StepFact;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * The journal lines of one safety-net hold or release: {@code safety-net-started}, each step before and after it
 * runs (with the facts a release or a restarted daemon needs, journaled before the step acts on them), and
 * {@code safety-net-ended}. Its lines never open with operation-started, so operation recovery leaves them alone;
 * {@link SafetyNetLedger} reads them.
 */
final class NetJournal {
    private final Journal journal;
    private final String deployment;
    private final String id;

    NetJournal(Journal journal, String deployment, String kind) {
        this.journal = journal;
        this.deployment = deployment;
        this.id = "safety-net-" + kind + "-" + UUID.randomUUID().toString().substring(0, 8);
        append(JournalEvent.SAFETY_NET_STARTED, null, null, kind, List.of());
    }

    String id() {
        return id;
    }

    void started(String step, StepFact... facts) {
        append(JournalEvent.STEP_STARTED, step, "running", null, List.of(facts));
    }

    void finished(String step, String detail, StepFact... facts) {
        append(JournalEvent.STEP_FINISHED, step, "succeeded", detail, List.of(facts));
    }

    void failed(String step, String detail) {
        append(JournalEvent.STEP_FAILED, step, "failed", detail, List.of());
    }

    void ended(String state, String detail, StepFact... facts) {
        append(JournalEvent.SAFETY_NET_ENDED, null, state, detail, List.of(facts));
    }

    private void append(JournalEvent event, String step, String state, String detail, List<StepFact> facts) {
        journal.append(new JournalEntry(id, deployment, event, step, state, detail, Instant.now(),
                facts.isEmpty() ? null : facts));
    }
}
