package io.pgbluegreen.operation;


import io.pgbluegreen.journal.Journal;
import io.pgbluegreen.journal.JournalEntry;
import io.pgbluegreen.journal.JournalEvent;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * Rebuilds the operations of earlier daemon runs from the journal. One that never finished was cut off by a crash
 * or kill: it is marked interrupted (journaled, once) with its last completed step and the safe next actions.
 * Nothing is undone automatically: a restarted daemon cannot know whether green was promoted, and a fenced blue
 * is the safe state to wait in.
 */
final class JournalRecovery {
    private JournalRecovery() {
    }

    /** Every operation of the journal, and those this recovery found cut off (marked interrupted just now). */
    record Recovered(List<Operation> operations, List<Operation> interruptedNow) {
    }

    static Recovered recover(Journal journal, Function<String, ModeRunbook> modes) {
        List<JournalEntry> entries = journal.readAll();
        Map<String, List<JournalEntry>> byOperation = new LinkedHashMap<>();
        for (JournalEntry e : entries) {
            byOperation.computeIfAbsent(e.operationId(), id -> new ArrayList<>()).add(e);
        }
        List<Operation> operations = new ArrayList<>();
        List<Operation> interruptedNow = new ArrayList<>();
        for (List<JournalEntry> lines : byOperation.values()) {
            JournalEntry first = lines.get(0);
            if (first.event() != JournalEvent.OPERATION_STARTED) {
                continue;
            }
            Operation op = new Operation(first.operationId(), first.deployment(), OperationKind.ofLabel(first.detail()),
                    first.at());
            boolean ended = false;
            for (JournalEntry e : lines) {
                switch (e.event()) {
                    case STEP_STARTED -> op.stepStarted(e.step(), e.at());
                    case STEP_FINISHED, STEP_FAILED -> op.stepEnded(e.step(), StepState.ofLabel(e.state()), e.at(), e.detail());
                    case OPERATION_FINISHED, OPERATION_INTERRUPTED -> {
                        op.finish(OperationState.valueOf(e.state().toUpperCase(java.util.Locale.ROOT)), e.detail(),
                                List.of(), e.at());
                        ended = true;
                    }
                    default -> {
                    }
                }
            }
            if (!ended) {
                interrupt(journal, entries, op, modes.apply(op.deployment()));
                interruptedNow.add(op);
            }
            operations.add(op);
        }
        return new Recovered(operations, interruptedNow);
    }

    /** {@code mode}: the deployment's (null: its mode runs no cutover, or it is no longer configured). */
    private static void interrupt(Journal journal, List<JournalEntry> entries, Operation op,
                                  ModeRunbook mode) {
        History history = op.kind() == OperationKind.CUTOVER ? History.latestCutover(entries, op.deployment()) : null;
        String last = op.lastCompletedStep();
        String detail = "the daemon stopped while this " + op.kind() + " ran; last completed step: "
                + (last == null ? "none" : last);
        for (Journal.TornLine torn : journal.tornLines()) {
            detail += "; the journal's line " + torn.number() + " was cut short when the daemon stopped and is left out";
        }
        List<String> next = new ArrayList<>();
        boolean ours = history != null && history.operationId().equals(op.id());
        if (ours && history.subscriptionCommitLeftChanged()) {
            detail += "; green's subscription still commits with synchronous_commit = on (was '"
                    + history.previousSynchronousCommit() + "')";
        }
        List<String> own = mode == null ? null : mode.nextActionsWhenInterrupted(op,
                entries.stream().filter(e -> op.id().equals(e.operationId())).toList());
        if (own != null) {
            next.addAll(own);
        } else if (op.kind() == OperationKind.ROLLBACK) {
            next.add("POST /deployments/" + op.deployment() + "/rollback again: it carries this rollback on from its last finished"
                    + " step if green was fenced by then, and plans afresh (refusing if green took writes) otherwise");
        } else if (ours && history.blueFenced()) {
            detail += "; blue is fenced (read-only, logins of " + history.fence().blockedRoles() + " blocked)";
            String point = mode == null ? null : mode.runbook().pointOfNoReturn();
            if (point != null && !history.stepsStarted().contains(point)) {
                next.add("the point of no return (" + point + ") was never started: the daemon rolls this"
                        + " cutover back by itself (see the rollback operation), retrying for "
                        + OperationService.RESTART_ABORT_RETRY_FOR.toMinutes() + " min while blue cannot be reached");
            }
            if (point != null && history.stepsStarted().contains(point) && mode.warningWhenCutOffPastPointOfNoReturn() != null) {
                next.add(mode.warningWhenCutOffPastPointOfNoReturn());
            }
            next.add("POST /deployments/" + op.deployment() + "/rollback to give writes back to blue (refused if green took writes)");
            next.add("or run the cutover again once the gate passes");
        } else if (ours && history.fence() == null && mode != null
                && history.stepsStarted().contains(mode.runbook().pointOfNoReturn())) {
            // a mode that fences nothing (Patroni) cut off at or past its point of no return
            if (mode.warningWhenCutOffPastPointOfNoReturn() != null) {
                next.add(mode.warningWhenCutOffPastPointOfNoReturn());
            }
            next.addAll(mode.actionsAfterFailurePastPointOfNoReturn(op.deployment()));
        } else {
            next.add("blue was not left fenced by this operation: check GET /deployments/" + op.deployment() + "/gate and retry");
            if (ours && history.subscriptionCommitLeftChanged()) {
                next.add("POST /deployments/" + op.deployment() + "/rollback gives the subscription its synchronous_commit back");
            }
        }
        Instant at = Instant.now();
        journal.append(new JournalEntry(op.id(), op.deployment(), JournalEvent.OPERATION_INTERRUPTED, null,
                OperationState.INTERRUPTED.label(), detail, at, null));
        op.finish(OperationState.INTERRUPTED, detail, next, at);
    }
}
