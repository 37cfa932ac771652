package io.pgbluegreen.operation;

import io.pgbluegreen.config.DeploymentMode;

import java.util.List;

/**
 * A deployment mode's cutover: its runbook, the state its steps share, and the undo of what its own steps changed
 * before the point of no return. Each mode's package supplies one as a bean (with its gate and its rollback).
 */
public interface ModeRunbook {
    boolean serves(DeploymentMode mode);

    Runbook runbook();

    /** Fresh state for one operation of this mode. */
    ModeState newState();

    /**
     * Undoes what this mode's steps changed on either side (blue's fence aside, which the runner lifts after), each part
     * on its own so that one failure does not keep the others from running; returns what failed.
     */
    List<String> undo(OperationContext context);

    /** The runbook of {@code mode} among {@code modes}, or null when no mode offers a cutover for it. */
    static ModeRunbook of(List<ModeRunbook> modes, DeploymentMode mode) {
        return modes.stream().filter(m -> m.serves(mode)).findFirst().orElse(null);
    }
}
