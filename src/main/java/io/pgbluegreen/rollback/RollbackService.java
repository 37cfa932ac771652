package io.pgbluegreen.rollback;

import io.micronaut.context.annotation.Requires;
import io.pgbluegreen.operation.OperationKind;
import io.micronaut.context.annotation.Context;
import io.pgbluegreen.config.DeploymentConfig;
import io.pgbluegreen.config.Topology;
import io.pgbluegreen.cutover.AcquireLockStep;
import io.pgbluegreen.gate.GateService;
import io.pgbluegreen.journal.Journal;
import io.pgbluegreen.operation.History;
import io.pgbluegreen.operation.ModeState;
import io.pgbluegreen.operation.Operation;
import io.pgbluegreen.operation.OperationContext;
import io.pgbluegreen.operation.OperationService;
import io.pgbluegreen.operation.Outcome;
import io.pgbluegreen.operation.Refusal;
import io.pgbluegreen.operation.StepRunner;

import java.sql.SQLException;
import java.util.List;

/**
 * Rollback runs synchronously (a few statements, or a bounded wait for blue to catch up with green) under the same
 * cross-daemon lock as a cutover, and is refused with the reason when it would lose writes. At start it aborts, by
 * itself, the cutovers an earlier run left cut off before their point of no return.
 */
@Requires(property = "pg-bluegreen.agent.enabled", notEquals = "true")
@Context
public class RollbackService {
    private final Topology topology;
    private final GateService gate;
    private final Journal journal;
    private final OperationService operations;
    private final StepRunner runner;
    private final List<ModeRollback> modes;

    public RollbackService(Topology topology, GateService gate, Journal journal, OperationService operations,
                           StepRunner runner, List<ModeRollback> modes) {
        this.topology = topology;
        this.gate = gate;
        this.journal = journal;
        this.operations = operations;
        this.runner = runner;
        this.modes = List.copyOf(modes);
        for (Operation cutover : RestartAbort.due(topology, modes, journal.readAll(), operations.interruptedAtStart())) {
            DeploymentConfig deployment = topology.deployment(cutover.deployment()).orElseThrow();
            operations.background(() -> RestartAbort.run(this, deployment, cutover.id(), operations::stopping));
        }
    }

    public Outcome rollback(DeploymentConfig deployment) {
        return operations.oneAtATime(deployment, () -> run(deployment, null));
    }

    /** A rollback of that cutover only: refused if another cutover has been journaled since (RestartAbort). */
    Outcome rollback(DeploymentConfig deployment, String cutoverId) {
        return operations.oneAtATime(deployment, () -> run(deployment, cutoverId));
    }

    private Outcome run(DeploymentConfig deployment, String cutoverId) {
        Refusal cannot = operations.cannotStart(deployment);
        if (cannot != null) {
            return cannot;
        }
        ModeRollback mode = ModeRollback.of(modes, deployment.deploymentMode());
        if (mode == null) {
            return Refusal.of(Refusal.Cause.NOT_OFFERED, "rollback of a " + deployment.deploymentMode().label()
                    + " deployment is not implemented yet");
        }
        Operation op = Operation.start(deployment.name(), OperationKind.ROLLBACK);
        try (OperationContext context = new OperationContext(op, deployment, topology, gate.thresholds(deployment), journal,
                ModeState.NONE)) {
            Refusal locked = AcquireLockStep.tryLock(context);
            if (locked != null) {
                return locked;
            }
            History history = History.latestCutover(journal.readAll(), deployment.name());
            if (cutoverId != null && (history == null || !cutoverId.equals(history.operationId()))) {
                return Refusal.of(Refusal.Cause.OVERTAKEN, "cutover " + cutoverId + " is no longer the latest of "
                        + deployment.name() + ": not rolled back automatically");
            }
            Rollback rollback = new Rollback(deployment, mode, new LiveRollbackReads(context), context.pgbouncer() != null);
            RollbackPlan plan;
            try {
                plan = rollback.plan(history);
            } catch (SQLException e) {
                return Refusal.of(Refusal.Cause.UNREACHABLE, "cannot read what the rollback depends on: "
                        + StepRunner.message(e));
            }
            if (plan.refusal() != null) {
                return plan.refusal();
            }
            operations.started(op);
            String refused = new RollbackRun(runner, rollback).run(context,
                    History.latestCutover(journal.readAll(), deployment.name()), plan);
            return refused == null ? new Outcome.Accepted(op)
                    : Refusal.of(Refusal.Cause.UNSAFE, refused + " (rollback " + op.id() + ")");
        }
    }
}
