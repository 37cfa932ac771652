package io.pgbluegreen.mode.logical;

import io.pgbluegreen.config.DeploymentConfig;
import io.pgbluegreen.config.DeploymentMode;
import io.pgbluegreen.cutover.AcquireLockStep;
import io.pgbluegreen.cutover.FenceBlueStep;
import io.pgbluegreen.cutover.PostChecksStep;
import io.pgbluegreen.cutover.ProveQuietStep;
import io.pgbluegreen.cutover.SwitchConnectionsStep;
import io.pgbluegreen.fence.Fence;
import io.pgbluegreen.gate.CheckResult;
import io.pgbluegreen.gate.GateInput;
import io.pgbluegreen.gate.MissingPrivilege;
import io.pgbluegreen.gate.ModeGate;
import io.pgbluegreen.gate.facts.SideFacts;
import io.pgbluegreen.operation.History;
import io.pgbluegreen.operation.ModeRunbook;
import io.pgbluegreen.operation.ModeState;
import io.pgbluegreen.operation.OperationContext;
import io.pgbluegreen.operation.Runbook;
import io.pgbluegreen.operation.Step;
import io.pgbluegreen.operation.WriteWindow;
import io.pgbluegreen.rollback.ModeRollback;
import io.pgbluegreen.rollback.RollbackPlan;
import io.pgbluegreen.rollback.RollbackReads;
import io.pgbluegreen.sampling.DeploymentLag;
import io.pgbluegreen.sampling.ModeLag;
import io.pgbluegreen.sampling.TargetSample;
import io.pgbluegreen.sampling.WalTimeline;
import jakarta.inject.Singleton;

import java.sql.SQLException;
import java.util.List;

/**
 * Logical blue/green: green subscribes to blue's publication (across majors too); the cutover writes a marker on
 * blue, waits until green confirmed it, copies the sequences and stops the subscription, optionally setting up
 * reverse replication for a rollback that keeps green's writes. Its runbook, gate, rollback and state.
 */
@Singleton
public final class LogicalMode implements ModeRunbook, ModeGate, ModeRollback, ModeLag {
    private static final Runbook RUNBOOK = new Runbook(List.of(new AcquireLockStep(), new PrepareMarkerStep(),
            new FenceBlueStep(), new ProveQuietStep(Marker::writeOnBlue), new CatchUpLogicalStep(), new SyncSequencesStep(false),
            new StopSubscriptionStep(), new SetUpReverseStep(), new SwitchConnectionsStep(), new PostChecksStep(),
            new EnableReverseStep()), SwitchConnectionsStep.NAME);

    @Override
    public boolean serves(DeploymentMode mode) {
        return mode == DeploymentMode.LOGICAL;
    }

    /** Writes stop at the fence and come back once clients are pointed at green. */
    private static final WriteWindow WRITE_WINDOW = new WriteWindow(List.of(FenceBlueStep.NAME), SwitchConnectionsStep.NAME);

    @Override
    public Runbook runbook() {
        return RUNBOOK;
    }

    @Override
    public WriteWindow writeWindow() {
        return WRITE_WINDOW;
    }

    @Override
    public ModeState newState() {
        return new LogicalState();
    }

    @Override
    public List<String> undo(OperationContext context) {
        return LogicalUndo.undo(context);
    }

    @Override
    public boolean judges(DeploymentMode mode) {
        return mode == DeploymentMode.LOGICAL;
    }

    @Override
    public void addChecks(List<CheckResult> out, GateInput in) {
        LogicalGate.addChecks(out, in);
    }

    @Override
    public void bluePrivileges(List<MissingPrivilege> out, GateInput in, SideFacts blue) {
        LogicalGate.bluePrivileges(out, in, blue);
    }

    @Override
    public void greenPrivileges(List<MissingPrivilege> out, GateInput in, SideFacts green) {
        LogicalGate.greenPrivileges(out, in, green);
    }

    @Override
    public boolean measures(DeploymentMode mode) {
        return mode == DeploymentMode.LOGICAL;
    }

    @Override
    public DeploymentLag lag(DeploymentConfig deployment, TargetSample blue, TargetSample green, WalTimeline timeline) {
        return SubscriberLag.of(deployment, blue, timeline);
    }

    @Override
    public String pointOfNoReturn() {
        return RUNBOOK.pointOfNoReturn();
    }

    @Override
    public String greenTookOver(DeploymentConfig deployment, History history, RollbackReads reads) throws SQLException {
        return LogicalRollback.greenTookOver(history, reads, deployment.subscription());
    }

    @Override
    public List<Step> givenBack(History history) {
        return LogicalRollback.givenBack(history);
    }

    @Override
    public GivenBack givenBackBeforeFence(History history) {
        return LogicalRollback.givenBackBeforeFence(history);
    }

    @Override
    public String refusalForWrites(History history, RollbackReads reads, String what) throws SQLException {
        return LogicalRollback.refusalForWrites(history, reads, what);
    }

    @Override
    public RollbackPlan afterAudit(History history, RollbackReads reads, boolean greenWrote, Fence greenFence)
            throws SQLException {
        return LogicalRollback.afterAudit(history, reads, greenWrote, greenFence);
    }
}
