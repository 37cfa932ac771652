package io.pgbluegreen.mode.physical;

import io.pgbluegreen.config.DeploymentConfig;
import io.pgbluegreen.config.DeploymentMode;
import io.pgbluegreen.cutover.AcquireLockStep;
import io.pgbluegreen.cutover.FenceBlueStep;
import io.pgbluegreen.cutover.LastWrite;
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
 * Physical blue/green: green is a streaming standby of blue, promoted once it has replayed blue's final position.
 * Its runbook, gate, rollback and lag.
 */
@Singleton
public final class PhysicalMode implements ModeRunbook, ModeGate, ModeRollback, ModeLag {
    private static final Runbook RUNBOOK = new Runbook(List.of(new AcquireLockStep(), new FenceBlueStep(),
            new ProveQuietStep(LastWrite.NONE), new CatchUpPhysicalStep(), new PromoteStep(), new SwitchConnectionsStep(),
            new PostChecksStep()), PromoteStep.NAME);

    @Override
    public boolean serves(DeploymentMode mode) {
        return mode == DeploymentMode.PHYSICAL;
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
    public String warningWhenCutOffPastPointOfNoReturn() {
        return "green may have been promoted: check pg_is_in_recovery() on green before anything else";
    }

    @Override
    public boolean judges(DeploymentMode mode) {
        return mode == DeploymentMode.PHYSICAL;
    }

    @Override
    public void addChecks(List<CheckResult> out, GateInput in) {
        PhysicalGate.addChecks(out, in);
    }

    @Override
    public void bluePrivileges(List<MissingPrivilege> out, GateInput in, SideFacts blue) {
        PhysicalGate.bluePrivileges(out, in, blue);
    }

    @Override
    public void greenPrivileges(List<MissingPrivilege> out, GateInput in, SideFacts green) {
        PhysicalGate.greenPrivileges(out, in, green);
    }

    @Override
    public boolean measures(DeploymentMode mode) {
        return mode == DeploymentMode.PHYSICAL;
    }

    @Override
    public DeploymentLag lag(DeploymentConfig deployment, TargetSample blue, TargetSample green, WalTimeline timeline) {
        return StandbyDeploymentLag.of(blue, green);
    }

    @Override
    public String pointOfNoReturn() {
        return RUNBOOK.pointOfNoReturn();
    }

    @Override
    public String greenTookOver(DeploymentConfig deployment, History history, RollbackReads reads) throws SQLException {
        return PhysicalRollback.greenTookOver(reads);
    }

    @Override
    public List<Step> givenBack(History history) {
        return List.of();
    }

    @Override
    public GivenBack givenBackBeforeFence(History history) {
        return PhysicalRollback.givenBackBeforeFence();
    }

    @Override
    public String refusalForWrites(History history, RollbackReads reads, String what) {
        return PhysicalRollback.refusalForWrites(what);
    }

    @Override
    public RollbackPlan afterAudit(History history, RollbackReads reads, boolean greenWrote, Fence greenFence) {
        return PhysicalRollback.afterAudit(history, greenWrote);
    }
}
