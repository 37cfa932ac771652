package io.pgbluegreen.cutover;

import io.pgbluegreen.config.DeploymentMode;
import io.pgbluegreen.cutover.step.AcquireLockStep;
import io.pgbluegreen.cutover.step.CatchUpLogicalStep;
import io.pgbluegreen.cutover.step.CatchUpPhysicalStep;
import io.pgbluegreen.cutover.step.EnableReverseStep;
import io.pgbluegreen.cutover.step.FenceBlueStep;
import io.pgbluegreen.cutover.step.PostChecksStep;
import io.pgbluegreen.cutover.step.PrepareMarkerStep;
import io.pgbluegreen.cutover.step.PromoteStep;
import io.pgbluegreen.cutover.step.SetUpReverseStep;
import io.pgbluegreen.cutover.step.ProveQuietStep;
import io.pgbluegreen.cutover.step.StopSubscriptionStep;
import io.pgbluegreen.cutover.step.SwitchConnectionsStep;
import io.pgbluegreen.cutover.step.SyncSequencesStep;

import java.util.List;

/**
 * The ordered steps of a cutover for one mode, and the step from which there is no going back: a failure before
 * it aborts (undo, blue writable again); a failure at or after it leaves blue fenced and reports what to do.
 */
public record Runbook(List<Step> steps, String pointOfNoReturn) {

    /** Patroni deployments have no runbook yet: pg_promote behind Patroni's back would fight its leader election. */
    public static boolean supported(DeploymentMode mode) {
        return mode != DeploymentMode.PATRONI;
    }

    public static Runbook of(DeploymentMode mode) {
        if (!supported(mode)) {
            throw new IllegalArgumentException("no runbook for mode " + mode.label());
        }
        return switch (mode) {
            case LOGICAL -> new Runbook(List.of(new AcquireLockStep(), new PrepareMarkerStep(), new FenceBlueStep(),
                    new ProveQuietStep(true), new CatchUpLogicalStep(), new SyncSequencesStep(), new StopSubscriptionStep(),
                    new SetUpReverseStep(), new SwitchConnectionsStep(), new PostChecksStep(), new EnableReverseStep()),
                    "switch_connections");
            case PHYSICAL, PATRONI -> new Runbook(List.of(new AcquireLockStep(), new FenceBlueStep(), new ProveQuietStep(false),
                    new CatchUpPhysicalStep(), new PromoteStep(), new SwitchConnectionsStep(), new PostChecksStep()), "promote");
        };
    }

    public List<String> names() {
        return steps.stream().map(Step::name).toList();
    }

    public boolean pastPointOfNoReturn(int stepIndex) {
        return stepIndex >= names().indexOf(pointOfNoReturn);
    }

    /** Nothing irreversible has run before step {@code stepIndex} starts (the point of no return itself included). */
    public boolean abortableBefore(int stepIndex) {
        return stepIndex <= names().indexOf(pointOfNoReturn);
    }
}
