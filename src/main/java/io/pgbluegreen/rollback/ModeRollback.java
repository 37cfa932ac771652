package io.pgbluegreen.rollback;

import io.pgbluegreen.config.DeploymentConfig;
import io.pgbluegreen.config.DeploymentMode;
import io.pgbluegreen.fence.Fence;
import io.pgbluegreen.operation.History;
import io.pgbluegreen.operation.Step;

import java.sql.SQLException;
import java.util.List;

/**
 * What one deployment mode decides in a rollback; {@link Rollback} does what every mode shares (the journal's
 * state, green's fence and audit, PgBouncer). Each mode's package supplies one as a bean.
 */
public interface ModeRollback {
    boolean serves(DeploymentMode mode);

    /** The step from which green may have taken over: before it, a rollback only gives back what the cutover changed. */
    String pointOfNoReturn();

    /** Why green looks like the primary although the cutover never reached its point of no return (null: it does not). */
    String greenTookOver(DeploymentConfig deployment, History history, RollbackReads reads) throws SQLException;

    /** Steps giving back what the cutover changed on the way to its point of no return, blue's fence aside. */
    List<Step> givenBack(History history);

    /** What steps give back and what the operator is told they did. */
    record GivenBack(List<Step> steps, String done) {
    }

    /** What a cutover cut off before it fenced blue left changed, given back (null: nothing). */
    GivenBack givenBackBeforeFence(History history);

    /**
     * Green took writes ({@code what} says which): null when they can go back to blue (and the rollback carries them),
     * else why the rollback is refused.
     */
    String refusalForWrites(History history, RollbackReads reads, String what) throws SQLException;

    /**
     * After audit_green, with green fenced: the steps that give writes back to blue (pointing clients at blue is added
     * by the caller) and what the operator does next, or a refusal (the caller then gives green its writes back).
     */
    RollbackPlan afterAudit(History history, RollbackReads reads, boolean greenWrote, Fence greenFence)
            throws SQLException;

    /**
     * Why blue must not get clients back (null: it may): in the fencing modes blue is the primary throughout; a mode
     * whose cluster picks its own leader (Patroni) looks.
     */
    default String whyBlueCannotTakeClients(RollbackReads reads) throws SQLException {
        return null;
    }

    /**
     * A cutover of a mode that fences nothing (Patroni), cut off at or past its point of no return: what is left to
     * do safely (e.g. PgBouncer, paused before the switchover, pointed at green once green leads), or null: refused.
     */
    default RollbackPlan pastPointOfNoReturnWithoutFence(History history, RollbackReads reads, boolean pgbouncer)
            throws SQLException {
        return null;
    }

    /** Whether a daemon started again acts by itself on this mode's cutover found cut off (RestartAbort). */
    default boolean actsAfterRestart(History history) {
        return !history.stepsStarted().contains(pointOfNoReturn());
    }

    /** The rollback of {@code mode} among {@code modes}, or null when that mode offers none. */
    static ModeRollback of(List<ModeRollback> modes, DeploymentMode mode) {
        return modes.stream().filter(m -> m.serves(mode)).findFirst().orElse(null);
    }
}
