package io.pgbluegreen.rollback;

import io.pgbluegreen.cutover.PausePgBouncerStep;
import io.pgbluegreen.cutover.FenceBlueStep;
import io.pgbluegreen.config.DeploymentConfig;
import io.pgbluegreen.fence.Fence;
import io.pgbluegreen.fence.XidAudit;
import io.pgbluegreen.operation.History;
import io.pgbluegreen.operation.Refusal;
import io.pgbluegreen.operation.Step;

import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

/**
 * Decides whether and how blue can take over again after the latest cutover, from the journal (so it works after
 * a restart) and from what {@link RollbackReads} reads, the deployment's mode deciding its own part. Before the point
 * of no return it only gives back what the cutover changed. After it, green is fenced first and only then audited (no
 * write can slip in after the reading): if it took writes that nothing carries back to blue, the rollback is refused
 * and green unfenced again. Everything that can be known before fencing green is checked before, so that a refusal
 * changes nothing: green's writes so far, and whether the way back works.
 */
public final class Rollback {
    private final DeploymentConfig deployment;
    private final ModeRollback mode;
    private final RollbackReads reads;
    private final boolean pgbouncer;

    /** {@code pgbouncer}: the deployment's clients go through PgBouncer, which the rollback pauses and points back. */
    public Rollback(DeploymentConfig deployment, ModeRollback mode, RollbackReads reads, boolean pgbouncer) {
        this.deployment = deployment;
        this.mode = mode;
        this.reads = reads;
        this.pgbouncer = pgbouncer;
    }

    /** The first steps: all of them, or up to audit_green, after which {@link #afterAudit} decides the rest. */
    public RollbackPlan plan(History history) throws SQLException {
        String name = deployment.name();
        if (history == null) {
            return RollbackPlan.refuse(Refusal.Cause.NOTHING_TO_DO, "no cutover of " + name + " in the journal: nothing to roll back");
        }
        History.RollbackProgress previous = history.lastRollback();
        // it gave writes back to blue already: only pointing clients at blue was left, so it is carried on
        if (previous != null && previous.unfinished() && previous.finished().contains(UnfenceBlueStep.NAME)) {
            return continued(history);
        }
        if (history.fence() == null && history.stepsStarted().contains(mode.pointOfNoReturn())) {
            // only a mode that fences nothing gets here (the others journal their fence before it): Patroni's
            // switchover was asked for, and who leads is Patroni's to say
            RollbackPlan forward = mode.pastPointOfNoReturnWithoutFence(history, reads, pgbouncer);
            if (forward != null) {
                return forward;
            }
            return RollbackPlan.refuse(Refusal.Cause.UNSAFE, "the cutover " + history.operationId() + " started "
                    + mode.pointOfNoReturn() + ", which a rollback cannot give back: switch over the other way, or see who"
                    + " leads and decide by hand");
        }
        if (!history.blueFenced()) {
            return unfenced(history);
        }
        if (!history.stepsStarted().contains(mode.pointOfNoReturn())) {
            return beforePointOfNoReturn(history);
        }
        if (history.greenBaseline() == null) {
            return RollbackPlan.refuse(Refusal.Cause.UNSAFE, "the cutover " + history.operationId() + " passed "
                    + mode.pointOfNoReturn() + " but did not record green's baseline, so it cannot be proven that green"
                    + " took no writes; blue stays fenced: decide by hand");
        }
        // read-only, before anything changes: the answer after the fence can only be "more writes"
        XidAudit.Finding writes = reads.greenWritesSince(history);
        if (!writes.clean()) {
            String refusal = mode.refusalForWrites(history, reads, writesLost(writes));
            if (refusal != null) {
                return RollbackPlan.refuse(Refusal.Cause.UNSAFE, refusal);
            }
        }
        List<Step> steps = new ArrayList<>();
        if (pgbouncer) {
            steps.add(new PausePgBouncerStep());
        }
        steps.add(new FenceGreenStep(deployment.fenceRoles(), history.reverseSubscription(), history.openGreenFence()));
        steps.add(new AuditGreenStep(history.greenBaseline(), history.greenBaselineRunning(), history.ownGreenXids(),
                history.reverseSubscription()));
        return RollbackPlan.of(steps, null, List.of());
    }

    /** After audit_green: what follows, or a refusal (then the caller undoes green's fence). */
    public RollbackPlan afterAudit(History history, boolean greenWrote, Fence greenFence) throws SQLException {
        RollbackPlan modePlan = mode.afterAudit(history, reads, greenWrote, greenFence);
        if (modePlan.refusal() != null) {
            return modePlan;
        }
        List<Step> steps = new ArrayList<>(modePlan.steps());
        pointClientsAtBlue(steps);
        List<String> next = new ArrayList<>(List.of("point clients back at blue: " + deployment.blue()));
        next.addAll(modePlan.nextActions());
        return RollbackPlan.of(steps, modePlan.summary(), next);
    }

    /** How a refusal for green's writes begins: what the writes are, and what going back would do. */
    static String writesLost(XidAudit.Finding writes) {
        return "green took writes since the cutover" + (writes == null ? "" : " (" + writes.summary() + ")")
                + ": going back to blue would lose them";
    }

    /**
     * Cut off before the point of no return: green never took over through this cutover; give back what it changed.
     * Green is looked at first all the same: promoted (or its subscription stopped) by someone else meanwhile, another
     * daemon for instance, unfencing blue would make two primaries.
     */
    private RollbackPlan beforePointOfNoReturn(History history) throws SQLException {
        String tookOver = mode.greenTookOver(deployment, history, reads);
        if (tookOver != null) {
            return RollbackPlan.refuse(Refusal.Cause.UNSAFE, "the cutover " + history.operationId()
                    + " never reached its point of no return, but " + tookOver + ": blue stays fenced, decide by hand");
        }
        List<Step> steps = new ArrayList<>(mode.givenBack(history));
        steps.add(new UnfenceBlueStep(history.fence()));
        pointClientsAtBlue(steps);
        return RollbackPlan.of(steps, "blue unfenced before the point of no return: blue is the primary again",
                List.of("point clients back at blue: " + deployment.blue()));
    }

    private void pointClientsAtBlue(List<Step> steps) {
        if (pgbouncer) {
            steps.add(new PointPgBouncerAtBlueStep());
        }
    }

    /** The previous rollback unfenced blue but did not finish: only what it had left is done. */
    private RollbackPlan continued(History history) {
        History.RollbackProgress previous = history.lastRollback();
        List<Step> steps = new ArrayList<>();
        for (String name : previous.plan()) {
            if (!previous.finished().contains(name)) {
                Step step = remaining(name, history);
                if (step == null) {
                    return RollbackPlan.refuse(Refusal.Cause.UNSAFE, "rollback " + previous.operationId() + " left step "
                            + name + " undone, which cannot be carried on after blue was unfenced: finish it by hand");
                }
                steps.add(step);
            }
        }
        return RollbackPlan.of(steps, "rollback " + previous.operationId() + " carried on from where it stopped ("
                + String.join(", ", previous.finished()) + " had finished): blue is the primary again",
                List.of("point clients back at blue: " + deployment.blue()));
    }

    /** What may follow unfence_blue in a rollback, rebuilt by its journaled name. */
    private static Step remaining(String name, History history) {
        if (PointPgBouncerAtBlueStep.NAME.equals(name)) {
            return new PointPgBouncerAtBlueStep();
        }
        if (UnfenceGreenStep.NAME.equals(name) && history.lastGreenFence() != null) {
            return new UnfenceGreenStep(history.lastGreenFence());
        }
        return null;
    }

    /** Cut off before blue was fenced: only what the cutover changed on the way there needs giving back. */
    private RollbackPlan unfenced(History history) throws SQLException {
        List<Step> steps = new ArrayList<>();
        List<String> done = new ArrayList<>();
        ModeRollback.GivenBack given = mode.givenBackBeforeFence(history);
        if (given != null) {
            steps.addAll(given.steps());
            done.add(given.done());
        }
        boolean paused = history.stepsStarted().contains(FenceBlueStep.NAME)
                || history.stepsStarted().contains(PausePgBouncerStep.NAME);
        if (pgbouncer && paused && !history.fenceUndone()) {
            // stopped after PAUSE but before the fence was planned (or, without a fence, before the switchover)
            String why = mode.whyBlueCannotTakeClients(reads);
            if (why != null) {
                return RollbackPlan.refuse(Refusal.Cause.UNSAFE, "PgBouncer stays paused: " + why
                        + "; point it at the leader by hand (pgbouncer.ini, RELOAD, RESUME)");
            }
            steps.add(new PointPgBouncerAtBlueStep());
            done.add("PgBouncer points at blue and is resumed");
        }
        if (steps.isEmpty()) {
            return RollbackPlan.refuse(Refusal.Cause.NOTHING_TO_DO, "blue is not fenced by the latest cutover of "
                    + deployment.name() + " (" + history.operationId() + "): nothing to roll back");
        }
        return RollbackPlan.of(steps, String.join("; ", done) + "; blue was never fenced", List.of());
    }
}
