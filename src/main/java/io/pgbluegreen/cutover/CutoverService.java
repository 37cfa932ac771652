package io.pgbluegreen.cutover;

import io.pgbluegreen.journal.StepFact;
import io.pgbluegreen.journal.JournalEvent;
import io.pgbluegreen.operation.OperationKind;
import io.pgbluegreen.config.DeploymentConfig;
import io.pgbluegreen.config.Topology;
import io.pgbluegreen.gate.CheckResult;
import io.pgbluegreen.gate.GateService;
import io.pgbluegreen.gate.Verdict;
import io.pgbluegreen.gate.facts.UserTable;
import io.pgbluegreen.journal.Journal;
import io.pgbluegreen.journal.JournalEntry;
import io.pgbluegreen.operation.History;
import io.pgbluegreen.operation.ModeRunbook;
import io.pgbluegreen.operation.Operation;
import io.pgbluegreen.operation.OperationContext;
import io.pgbluegreen.operation.OperationService;
import io.pgbluegreen.operation.Outcome;
import io.pgbluegreen.operation.Refusal;
import io.pgbluegreen.operation.Runbook;
import io.pgbluegreen.operation.StepRunner;
import jakarta.inject.Singleton;

import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * A cutover is refused unless the live gate (fresh samples) passes or its failing checks are explicitly overridden;
 * it then takes the cross-daemon lock synchronously and runs the rest of its mode's runbook in the background,
 * journaled step by step.
 */
@Singleton
public class CutoverService {
    private final Topology topology;
    private final GateService gate;
    private final Journal journal;
    private final OperationService operations;
    private final StepRunner runner;
    private final List<ModeRunbook> modes;

    public CutoverService(Topology topology, GateService gate, Journal journal, OperationService operations,
                          StepRunner runner, List<ModeRunbook> modes) {
        this.topology = topology;
        this.gate = gate;
        this.journal = journal;
        this.operations = operations;
        this.runner = runner;
        this.modes = List.copyOf(modes);
    }

    public Outcome cutover(DeploymentConfig deployment, boolean dryRun, CutoverRequest request) {
        return operations.oneAtATime(deployment, () -> admit(deployment, dryRun, request));
    }

    private Outcome admit(DeploymentConfig deployment, boolean dryRun, CutoverRequest request) {
        if (operations.stopping() && !dryRun) {
            return operations.cannotStart(deployment);
        }
        ModeRunbook mode = ModeRunbook.of(modes, deployment.deploymentMode());
        if (mode == null) {
            return Refusal.of(Refusal.Cause.NOT_OFFERED, "cutover of a " + deployment.deploymentMode().label()
                    + " deployment is not offered");
        }
        Runbook runbook = mode.runbook();
        if (!dryRun) {
            Refusal cannot = operations.cannotStart(deployment);
            if (cannot != null) {
                return cannot;
            }
            History previous = History.latestCutover(journal.readAll(), deployment.name());
            if (previous != null && previous.blueFenced()) {
                return Refusal.of(Refusal.Cause.UNSAFE, "blue is still fenced by cutover " + previous.operationId()
                        + " (" + previous.finalState() + "): roll it back first (POST /deployments/" + deployment.name()
                        + "/rollback); a new fence could not give back what that one took");
            }
        }
        CutoverRequest.Override override = request == null ? null : request.override();
        if (override != null && (override.checks() == null || override.checks().isEmpty())) {
            return new Outcome.Invalid("override.checks: name the failing checks to override");
        }
        if (override != null && (override.reason() == null || override.reason().isBlank())) {
            return new Outcome.Invalid("override.reason: say why the checks may be overridden");
        }
        GateService.Live live = gate.liveWithFacts(deployment);
        Verdict verdict = live.verdict();
        if (dryRun) {
            return new Outcome.Planned(runbook.names(), verdict);
        }
        List<CheckResult> blocking = verdict.blocking();
        Set<String> overridden = override == null ? Set.of() : new TreeSet<>(override.checks());
        List<CheckResult> notCovered = blocking.stream().filter(c -> !overridden.contains(c.name())).toList();
        if (!notCovered.isEmpty()) {
            return new Refusal(Refusal.Cause.GATE, "the live gate does not pass", notCovered);
        }
        Operation op = Operation.start(deployment.name(), OperationKind.CUTOVER);
        operations.started(op);
        if (override != null && !blocking.isEmpty()) {
            journal.append(new JournalEntry(op.id(), deployment.name(), JournalEvent.OVERRIDE, null, null, override.reason(), Instant.now(),
                    List.of(new StepFact.ChecksOverridden(blocking.stream().map(CheckResult::name).toList()))));
        }
        OperationContext context = new OperationContext(op, deployment, topology, gate.thresholds(deployment), journal,
                mode.newState());
        if (live.blueFacts() != null) {
            context.tablesAtGate(live.blueFacts().userTables().stream().map(UserTable::qualified).toList());
        }
        CutoverRunner cutover = new CutoverRunner(runner, mode);
        Exception lockFailure = runner.runStep(context, runbook.steps().get(0));
        if (lockFailure != null) {
            cutover.abort(context, AcquireLockStep.NAME + " failed: " + StepRunner.message(lockFailure));
            context.close();
            return Refusal.of(Refusal.Cause.BUSY, StepRunner.message(lockFailure));
        }
        operations.runInBackground(context, () -> cutover.run(context, 1));
        return new Outcome.Accepted(op);
    }
}
