package io.pgbluegreen.cutover;

import io.pgbluegreen.config.DeploymentConfig;
import io.pgbluegreen.config.Topology;
import io.pgbluegreen.cutover.step.AcquireLockStep;
import io.pgbluegreen.gate.CheckResult;
import io.pgbluegreen.gate.GateService;
import io.pgbluegreen.gate.Verdict;
import io.pgbluegreen.gate.facts.UserTable;
import io.pgbluegreen.journal.Journal;
import io.pgbluegreen.journal.JournalEntry;
import jakarta.annotation.PreDestroy;
import io.micronaut.context.annotation.Context;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;

/**
 * One operation per deployment at a time. A cutover is refused unless the live gate (fresh samples) passes or
 * its failing checks are explicitly overridden; it then takes the cross-daemon lock synchronously and runs the
 * rest of its runbook in the background, journaled step by step.
 */
@Context
public class OperationService {
    /** What a cutover request came to. */
    public sealed interface Outcome permits Accepted, Refused, Planned, Invalid {
    }

    public record Accepted(Operation operation) implements Outcome {
    }

    public record Refused(String reason, List<CheckResult> failingChecks) implements Outcome {
    }

    public record Planned(List<String> steps, Verdict verdict) implements Outcome {
    }

    public record Invalid(String reason) implements Outcome {
    }

    /** How long a stopping daemon lets running operations end; the systemd unit's TimeoutStopSec is longer. */
    static final Duration STOP_GRACE = Duration.ofSeconds(60);
    private static final Logger LOG = LoggerFactory.getLogger(OperationService.class);

    private final Topology topology;
    private final GateService gate;
    private final Journal journal;
    private final CutoverRunner runner;
    private final Map<String, Operation> operations = new ConcurrentHashMap<>();
    private final Map<String, Operation> running = new ConcurrentHashMap<>();
    /** The contexts of the cutovers running now, to tell them the daemon is stopping. */
    private final Map<String, CutoverContext> runningContexts = new ConcurrentHashMap<>();
    private volatile boolean stopping;
    private final Map<String, ReentrantLock> admission = new ConcurrentHashMap<>();
    private final ExecutorService executor = Executors.newCachedThreadPool(r -> {
        Thread thread = new Thread(r, "operation");
        thread.setDaemon(true);
        return thread;
    });

    public OperationService(Topology topology, GateService gate, Journal journal, FaultInjection faults) {
        this.topology = topology;
        this.gate = gate;
        this.journal = journal;
        this.runner = new CutoverRunner(journal, faults);
        JournalRecovery.Recovered recovered = JournalRecovery.recover(journal, topology);
        recovered.operations().forEach(op -> operations.put(op.id(), op));
        for (Operation cutover : RestartAbort.due(topology, journal.readAll(), recovered.interruptedNow())) {
            DeploymentConfig deployment = topology.deployment(cutover.deployment()).orElseThrow();
            executor.submit(() -> RestartAbort.run(this, deployment, cutover.id(), () -> stopping));
        }
    }

    public Optional<Operation> operation(String id) {
        return Optional.ofNullable(operations.get(id));
    }

    public Outcome cutover(DeploymentConfig deployment, boolean dryRun, CutoverRequest request) {
        return oneAtATime(deployment, () -> admitCutover(deployment, dryRun, request));
    }

    public Outcome rollback(DeploymentConfig deployment) {
        return oneAtATime(deployment, () -> runRollback(deployment, null));
    }

    /** A rollback of that cutover only: refused if another cutover has been journaled since (RestartAbort). */
    Outcome rollback(DeploymentConfig deployment, String cutoverId) {
        return oneAtATime(deployment, () -> runRollback(deployment, cutoverId));
    }

    public Outcome attach(DeploymentConfig deployment, String lsn, String publication) {
        return oneAtATime(deployment, () -> runAttach(deployment, lsn, publication));
    }

    /**
     * One request at a time per deployment: a request that finds another one of the same deployment being admitted
     * (or a rollback running) is refused at once rather than queued behind a server that may hang. Other deployments
     * are never held up.
     */
    private Outcome oneAtATime(DeploymentConfig deployment, java.util.function.Supplier<Outcome> request) {
        ReentrantLock lock = admission.computeIfAbsent(deployment.name(), name -> new ReentrantLock());
        if (!lock.tryLock()) {
            return new Refused("another request on " + deployment.name() + " is being handled right now; retry when it"
                    + " has answered", List.of());
        }
        try {
            return request.get();
        } finally {
            lock.unlock();
        }
    }

    private Outcome admitCutover(DeploymentConfig deployment, boolean dryRun, CutoverRequest request) {
        if (stopping && !dryRun) {
            return new Refused("the daemon is stopping: no new operation starts", List.of());
        }
        if (!Runbook.supported(deployment.deploymentMode())) {
            return new Refused("cutover of a " + deployment.deploymentMode().label() + " deployment is not implemented yet"
                    + " (a Patroni switchover must go through Patroni's API, never pg_promote behind its back)", List.of());
        }
        Runbook runbook = Runbook.of(deployment.deploymentMode());
        Operation busy = running.get(deployment.name());
        if (busy != null && !dryRun) {
            return new Refused("operation " + busy.id() + " (" + busy.kind() + ") is already running on " + deployment.name(), List.of());
        }
        History previous = History.latestCutover(journal.readAll(), deployment.name());
        if (previous != null && previous.blueFenced() && !dryRun) {
            return new Refused("blue is still fenced by cutover " + previous.operationId() + " (" + previous.finalState()
                    + "): roll it back first (POST /deployments/" + deployment.name() + "/rollback); a new fence could not"
                    + " give back what that one took", List.of());
        }
        CutoverRequest.Override override = request == null ? null : request.override();
        if (override != null && (override.checks() == null || override.checks().isEmpty())) {
            return new Invalid("override.checks: name the failing checks to override");
        }
        if (override != null && (override.reason() == null || override.reason().isBlank())) {
            return new Invalid("override.reason: say why the checks may be overridden");
        }
        GateService.Live live = gate.liveWithFacts(deployment);
        Verdict verdict = live.verdict();
        if (dryRun) {
            return new Planned(runbook.names(), verdict);
        }
        List<CheckResult> blocking = verdict.blocking();
        Set<String> overridden = override == null ? Set.of() : new TreeSet<>(override.checks());
        List<CheckResult> notCovered = blocking.stream().filter(c -> !overridden.contains(c.name())).toList();
        if (!notCovered.isEmpty()) {
            return new Refused("the live gate does not pass", notCovered);
        }
        Operation op = Operation.start(deployment.name(), "cutover");
        journal.append(new JournalEntry(op.id(), deployment.name(), "operation-started", null, "running", "cutover", Instant.now(), null));
        if (override != null && !blocking.isEmpty()) {
            journal.append(new JournalEntry(op.id(), deployment.name(), "override", null, null, override.reason(), Instant.now(),
                    Map.of("checks", String.join(",", blocking.stream().map(CheckResult::name).toList()))));
        }
        operations.put(op.id(), op);
        CutoverContext context = new CutoverContext(op, deployment, topology, gate.thresholds(deployment), journal);
        if (live.blueFacts() != null) {
            context.tablesAtGate(live.blueFacts().userTables().stream().map(UserTable::qualified).toList());
        }
        Exception lockFailure = runner.runStep(context, runbook.steps().get(0));
        if (lockFailure != null) {
            runner.abort(context, "acquire_lock failed: " + CutoverRunner.message(lockFailure));
            context.close();
            return new Refused(CutoverRunner.message(lockFailure), List.of());
        }
        running.put(deployment.name(), op);
        runningContexts.put(op.id(), context);
        if (stopping) {
            // the stop began while this cutover was being admitted: it was not told yet
            context.requestStop();
        }
        executor.submit(() -> {
            try {
                runner.run(context, runbook, 1);
            } finally {
                runningContexts.remove(op.id());
                running.remove(deployment.name(), op);
            }
        });
        return new Accepted(op);
    }

    /**
     * Rollback runs synchronously (a few statements, or a bounded wait for blue to catch up with green) under the same
     * cross-daemon lock as a cutover, and is refused with the reason when it would lose writes.
     */
    private Outcome runRollback(DeploymentConfig deployment, String cutoverId) {
        if (stopping) {
            return new Refused("the daemon is stopping: no new operation starts", List.of());
        }
        if (!Runbook.supported(deployment.deploymentMode())) {
            return new Refused("rollback of a " + deployment.deploymentMode().label() + " deployment is not implemented yet", List.of());
        }
        Operation busy = running.get(deployment.name());
        if (busy != null) {
            return new Refused("operation " + busy.id() + " (" + busy.kind() + ") is running on " + deployment.name(), List.of());
        }
        Operation op = Operation.start(deployment.name(), "rollback");
        try (CutoverContext context = new CutoverContext(op, deployment, topology, gate.thresholds(deployment), journal)) {
            String locked = AcquireLockStep.tryLock(context);
            if (locked != null) {
                return new Refused(locked, List.of());
            }
            History history = History.latestCutover(journal.readAll(), deployment.name());
            if (cutoverId != null && (history == null || !cutoverId.equals(history.operationId()))) {
                return new Refused("cutover " + cutoverId + " is no longer the latest of " + deployment.name()
                        + ": not rolled back automatically", List.of());
            }
            Rollback.Plan plan;
            try {
                plan = Rollback.plan(context, history);
            } catch (java.sql.SQLException e) {
                return new Refused("cannot read what the rollback depends on: " + CutoverRunner.message(e), List.of());
            }
            if (plan.refusal() != null) {
                return new Refused(plan.refusal(), List.of());
            }
            journal.append(new JournalEntry(op.id(), deployment.name(), "operation-started", null, "running", "rollback", Instant.now(), null));
            operations.put(op.id(), op);
            String refused = new RollbackRun(journal, runner).run(context,
                    History.latestCutover(journal.readAll(), deployment.name()), plan);
            return refused == null ? new Accepted(op) : new Refused(refused + " (rollback " + op.id() + ")", List.of());
        }
    }

    /** The attach helper, journaled as an operation of its own once its checks pass. */
    private Outcome runAttach(DeploymentConfig deployment, String lsn, String publication) {
        Operation busy = running.get(deployment.name());
        if (busy != null) {
            return new Refused("operation " + busy.id() + " (" + busy.kind() + ") is running on " + deployment.name(), List.of());
        }
        Operation op = Operation.start(deployment.name(), "attach");
        Instant started = Instant.now();
        LogicalAttach.Result result = LogicalAttach.attach(topology, deployment, lsn, publication);
        if (result.invalid() != null) {
            return new Invalid(result.invalid());
        }
        if (result.refusal() != null) {
            return new Refused(result.refusal(), List.of());
        }
        journal.append(new JournalEntry(op.id(), deployment.name(), "operation-started", null, "running", "attach", started, null));
        List<String> names = List.of("create_subscription", "advance_origin", "enable_subscription");
        for (int i = 0; i < result.done().size(); i++) {
            op.stepStarted(names.get(i), started);
            op.stepEnded(names.get(i), "succeeded", Instant.now(), result.done().get(i));
        }
        Instant at = Instant.now();
        String detail = String.join("; ", result.done());
        journal.append(new JournalEntry(op.id(), deployment.name(), "operation-finished", null, "succeeded", detail, at, null));
        op.finish(OperationState.SUCCEEDED, detail, List.of("watch GET /deployments/" + deployment.name() + "/gate until it is ready"), at);
        operations.put(op.id(), op);
        return new Accepted(op);
    }

    /**
     * A stopping daemon (SIGTERM, systemctl stop) does not cut a cutover off mid-way: one before its point of no
     * return aborts at once (blue writable again), one past it finishes; both are given {@link #STOP_GRACE}. Only
     * what is still running then is left to read as interrupted on the next start.
     */
    @PreDestroy
    void stop() {
        // after this no cutover or rollback starts (admission checks it), and every running one is told (one admitted
        // meanwhile tells itself)
        stopping = true;
        runningContexts.values().forEach(CutoverContext::requestStop);
        executor.shutdown();
        try {
            if (!runningContexts.isEmpty()) {
                LOG.warn("stopping: letting {} operation(s) end (at most {}s): {}", runningContexts.size(),
                        STOP_GRACE.toSeconds(), runningContexts.keySet());
            }
            if (!executor.awaitTermination(STOP_GRACE.toMillis(), TimeUnit.MILLISECONDS)) {
                LOG.error("stopping: operation(s) {} did not end within {}s; they will read as interrupted on the next start",
                        runningContexts.keySet(), STOP_GRACE.toSeconds());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        executor.shutdownNow();
    }
}
