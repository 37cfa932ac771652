package io.pgbluegreen.mode.patroni;

import io.pgbluegreen.config.DeploymentConfig;
import io.pgbluegreen.config.DeploymentMode;
import io.pgbluegreen.config.Topology;
import io.pgbluegreen.cutover.AcquireLockStep;
import io.pgbluegreen.cutover.PausePgBouncerStep;
import io.pgbluegreen.cutover.SwitchConnectionsStep;
import io.pgbluegreen.gate.CheckResult;
import io.pgbluegreen.gate.GateInput;
import io.pgbluegreen.gate.MissingPrivilege;
import io.pgbluegreen.gate.ModeGate;
import io.pgbluegreen.gate.facts.SideFacts;
import io.pgbluegreen.mode.physical.PhysicalChecks;
import io.pgbluegreen.mode.physical.StandbyDeploymentLag;
import io.pgbluegreen.operation.ModeRunbook;
import io.pgbluegreen.operation.OperationContext;
import io.pgbluegreen.operation.Runbook;
import io.pgbluegreen.sampling.DeploymentLag;
import io.pgbluegreen.sampling.ModeLag;
import io.pgbluegreen.sampling.TargetSample;
import io.pgbluegreen.sampling.WalTimeline;
import io.pgbluegreen.fence.Fence;
import io.pgbluegreen.operation.History;
import io.pgbluegreen.operation.Refusal;
import io.pgbluegreen.operation.Step;
import io.pgbluegreen.operation.WriteWindow;
import io.pgbluegreen.rollback.ModeRollback;
import io.pgbluegreen.rollback.RollbackPlan;
import io.pgbluegreen.rollback.RollbackReads;
import io.pgbluegreen.mode.patroni.safetynet.SafetyNetRecord;
import io.pgbluegreen.mode.patroni.safetynet.SafetyNetService;
import io.pgbluegreen.mode.patroni.safetynet.rollback.NetRollbackAdvice;
import io.pgbluegreen.journal.JournalEntry;
import io.pgbluegreen.operation.Operation;
import io.pgbluegreen.operation.OperationKind;
import jakarta.inject.Provider;
import jakarta.inject.Singleton;

import java.sql.SQLException;

import java.util.List;

/**
 * A Patroni cluster: blue is the leader's target, green a replica's. The cutover is Patroni's own switchover, gated
 * and verified: PgBouncer paused, POST /switchover (Patroni demotes blue before it promotes green: never two
 * leaders), green proven to take writes, clients pointed at it, blue proven to follow it. Nothing is fenced: Patroni
 * owns who leads. Gated like a streaming standby plus the cluster's own readiness; the lag is a standby's. A
 * rollback only puts PgBouncer where the leader is: back to blue before the switchover (if blue still leads), to green
 * after it once green leads. To go back, switch over the other way.
 */
@Singleton
public final class PatroniMode implements ModeRunbook, ModeGate, ModeLag, ModeRollback {
    private static final Runbook RUNBOOK = new Runbook(List.of(new AcquireLockStep(), new PausePgBouncerStep(),
            new SwitchoverStep(), new NewLeaderTakesWritesStep(), new SwitchConnectionsStep(), new OldLeaderFollowsStep()),
            SwitchoverStep.NAME);
    private final Topology topology;
    /** Lazily: the safety net's service needs the operations' admission, which needs every mode's runbook. */
    private final Provider<SafetyNetService> safetyNets;

    public PatroniMode(Topology topology, Provider<SafetyNetService> safetyNets) {
        this.topology = topology;
        this.safetyNets = safetyNets;
    }

    @Override
    public List<String> nextActionsWhenInterrupted(Operation op, List<JournalEntry> lines) {
        return op.kind() == OperationKind.SAFETY_NET_ROLLBACK ? NetRollbackAdvice.afterInterruption(op.deployment(), lines)
                : null;
    }

    @Override
    public boolean serves(DeploymentMode mode) {
        return mode == DeploymentMode.PATRONI;
    }

    /**
     * Writes stop when PgBouncer is paused (or, when the operation ran no pause, at the switchover) and come back once
     * clients are pointed at the new leader.
     */
    private static final WriteWindow WRITE_WINDOW = new WriteWindow(List.of(PausePgBouncerStep.NAME, SwitchoverStep.NAME),
            SwitchConnectionsStep.NAME);

    @Override
    public Runbook runbook() {
        return RUNBOOK;
    }

    @Override
    public WriteWindow writeWindow() {
        return WRITE_WINDOW;
    }

    /** Patroni may have made blue a replica meanwhile (a failover, another switchover): it must lead and be writable. */
    @Override
    public String whyBlueCannotTakeClients(OperationContext context) {
        return BlueLeads.whyNot(context);
    }

    @Override
    public String whyBlueCannotTakeClients(RollbackReads reads) throws SQLException {
        return reads.blueInRecovery() ? "blue is in recovery (Patroni made it a replica)" : null;
    }

    /**
     * Cut off at or after the switchover, with PgBouncer paused and not yet pointed anywhere: once green leads (out of
     * recovery), PgBouncer is pointed at it and resumed, which is what the cutover would have done next.
     */
    @Override
    public RollbackPlan pastPointOfNoReturnWithoutFence(History history, RollbackReads reads, boolean pgbouncer)
            throws SQLException {
        boolean pausedNotSwitched = history.stepsStarted().contains(PausePgBouncerStep.NAME)
                && !history.stepsFinished().contains(SwitchConnectionsStep.NAME);
        if (!pgbouncer || !pausedNotSwitched || reads.greenInRecovery()) {
            return null;
        }
        return RollbackPlan.of(List.of(new SwitchConnectionsStep()), "the switchover of " + history.operationId()
                + " had happened (green leads): PgBouncer points at green and is resumed",
                List.of("check that blue follows green (patronictl list)"));
    }

    /** Before the switchover a restart gives PgBouncer back to blue; after it, to green once green leads. */
    @Override
    public boolean actsAfterRestart(History history) {
        return true;
    }

    @Override
    public String succeeded() {
        return "green leads the Patroni cluster and takes writes; blue follows it";
    }

    @Override
    public List<String> nextActionsAfterSuccess(OperationContext context) {
        return List.of("point any remaining clients at green: " + context.greenAddress(),
                "to go back, switch over again with blue and green swapped in the deployment (or patronictl switchover)");
    }

    @Override
    public String stateAfterFailurePastPointOfNoReturn() {
        return "Patroni was asked to switch over and decides who leads: never two leaders";
    }

    @Override
    public List<String> actionsAfterFailurePastPointOfNoReturn(String deployment) {
        return List.of("see who leads: patronictl list (or GET /patroni)",
                "then point clients at the leader, and RESUME PgBouncer if it is still paused");
    }

    @Override
    public String warningWhenCutOffPastPointOfNoReturn() {
        return "Patroni may have switched over: see who leads (patronictl list) before anything else";
    }

    @Override
    public boolean judges(DeploymentMode mode) {
        return serves(mode);
    }

    @Override
    public void addChecks(List<CheckResult> out, GateInput in) {
        PatroniChecks.add(out, in, topology.targets().get(in.deployment().blue()),
                topology.targets().get(in.deployment().green()), netsOnTheCluster(in.deployment()));
        PhysicalChecks.add(out, in);
    }

    /** The safety nets this daemon knows of on the deployment's cluster, whichever deployment holds them. */
    private List<SafetyNetRecord> netsOnTheCluster(DeploymentConfig deployment) {
        return topology.deployments().values().stream()
                .filter(d -> deployment.patroniCluster().equals(d.patroniCluster()))
                .map(d -> safetyNets.get().record(d.name())).toList();
    }

    @Override
    public void bluePrivileges(List<MissingPrivilege> out, GateInput in, SideFacts blue) {
        // Patroni demotes blue itself: the daemon only takes its advisory lock there
    }

    @Override
    public void greenPrivileges(List<MissingPrivilege> out, GateInput in, SideFacts green) {
        // await_new_leader commits a transaction that writes nothing: any role that can connect may
    }

    @Override
    public String pointOfNoReturn() {
        return RUNBOOK.pointOfNoReturn();
    }

    /** Before the switchover green must still be a replica: promoted by other hands, PgBouncer stays where it is. */
    @Override
    public String greenTookOver(DeploymentConfig deployment, History history, RollbackReads reads) throws SQLException {
        return reads.greenInRecovery() ? null : "green is not in recovery (it leads)";
    }

    @Override
    public List<Step> givenBack(History history) {
        return List.of();
    }

    @Override
    public GivenBack givenBackBeforeFence(History history) {
        return null;
    }

    /** Unreachable: a rollback of a Patroni cutover past its switchover is refused before writes are looked at. */
    @Override
    public String refusalForWrites(History history, RollbackReads reads, String what) {
        return what + "; Patroni decides who leads: switch over the other way";
    }

    @Override
    public RollbackPlan afterAudit(History history, RollbackReads reads, boolean greenWrote, Fence greenFence) {
        return RollbackPlan.refuse(Refusal.Cause.UNSAFE, "a Patroni cutover is not rolled back by fencing green:"
                + " switch over the other way");
    }

    @Override
    public boolean measures(DeploymentMode mode) {
        return serves(mode);
    }

    @Override
    public DeploymentLag lag(DeploymentConfig deployment, TargetSample blue, TargetSample green, WalTimeline timeline) {
        return StandbyDeploymentLag.of(blue, green);
    }
}
