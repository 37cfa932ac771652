package io.pgbluegreen.operation;

import io.pgbluegreen.config.DeploymentMode;
import io.pgbluegreen.journal.JournalEntry;

import java.util.List;

/**
 * A deployment mode's cutover: its runbook, the state its steps share, and the undo of what its own steps changed
 * before the point of no return. Each mode's package supplies one as a bean (with its gate and its rollback).
 */
public interface ModeRunbook {
    boolean serves(DeploymentMode mode);

    Runbook runbook();

    /** Where this mode's cutover stops and gives back writes, for pgbg_last_operation_write_unavailable_seconds (null: not measured). */
    default WriteWindow writeWindow() {
        return null;
    }

    /** Fresh state for one operation of this mode (none unless the mode keeps some). */
    default ModeState newState() {
        return ModeState.NONE;
    }

    /**
     * Undoes what this mode's steps changed on either side (blue's fence aside, which the runner lifts after), each part
     * on its own so that one failure does not keep the others from running; returns what failed. A mode whose steps
     * change nothing before the point of no return but the fence and PgBouncer (which the runner gives back) keeps
     * the default.
     */
    default List<String> undo(OperationContext context) {
        return List.of();
    }

    /**
     * Why an abort must not give blue its clients back (null: it may). In the fencing modes blue is the primary
     * until the point of no return; a mode whose cluster picks its own leader (Patroni) looks first.
     */
    default String whyBlueCannotTakeClients(OperationContext context) {
        return null;
    }

    /** How a successful cutover of this mode leaves the sides (the fencing modes: blue fenced). */
    default String succeeded() {
        return "green is the primary; blue stays fenced (read-only, logins blocked)";
    }

    default List<String> nextActionsAfterSuccess(OperationContext context) {
        return List.of("point any remaining clients at green: " + context.greenAddress(),
                "POST /deployments/" + context.deployment().name() + "/rollback while green has taken no writes");
    }

    /** How a failure from the point of no return on leaves the sides (the fencing modes: blue stays fenced). */
    default String stateAfterFailurePastPointOfNoReturn() {
        return "blue stays fenced so that there are never two writable primaries";
    }

    default List<String> actionsAfterFailurePastPointOfNoReturn(String deployment) {
        return List.of("inspect green (pg_is_in_recovery(), the server log) and finish by hand, or",
                "POST /deployments/" + deployment + "/rollback (refused if green took writes)");
    }

    /** What to check first when a restarted daemon finds a cutover cut off past its point of no return (null: nothing). */
    default String warningWhenCutOffPastPointOfNoReturn() {
        return null;
    }

    /**
     * The next actions for an operation of a kind this mode runs itself (not a cutover or rollback) that a restarted
     * daemon found cut off; {@code lines} are its journal lines. Null: the kind is not this mode's own.
     */
    default List<String> nextActionsWhenInterrupted(Operation op, List<JournalEntry> lines) {
        return null;
    }

    /** The runbook of {@code mode} among {@code modes}, or null when no mode offers a cutover for it. */
    static ModeRunbook of(List<ModeRunbook> modes, DeploymentMode mode) {
        return modes.stream().filter(m -> m.serves(mode)).findFirst().orElse(null);
    }
}
