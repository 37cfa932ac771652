package io.pgbluegreen.operation;

import io.micronaut.context.annotation.Context;
import io.micronaut.context.annotation.Requires;
import io.pgbluegreen.config.DeploymentConfig;
import io.pgbluegreen.config.Topology;
import io.pgbluegreen.journal.Journal;
import io.pgbluegreen.journal.JournalEntry;
import io.pgbluegreen.journal.JournalEvent;
import jakarta.annotation.PreDestroy;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * Admission and lifecycle of every operation (cutover, rollback, attach): one request per deployment at a time, one
 * operation per deployment running, nothing new once the daemon is stopping, and a stop that lets running operations
 * end. At start it reads the journal back, marking what an earlier run left cut off as interrupted.
 */
@Requires(property = "pg-bluegreen.agent.enabled", notEquals = "true")
@Context
public class OperationService {
    /** How long a stopping daemon lets running operations end; the systemd unit's TimeoutStopSec is longer. */
    static final Duration STOP_GRACE = Duration.ofSeconds(60);
    /** How long the daemon's own abort of a cutover it found cut off at start retries while blue cannot be reached. */
    public static final Duration RESTART_ABORT_RETRY_FOR = Duration.ofMinutes(2);
    private static final Logger LOG = LoggerFactory.getLogger(OperationService.class);

    private final Journal journal;
    private final Map<String, Operation> operations = new ConcurrentHashMap<>();
    private final Map<String, Operation> running = new ConcurrentHashMap<>();
    /** The contexts of the operations running in the background now, to tell them the daemon is stopping. */
    private final Map<String, OperationContext> runningContexts = new ConcurrentHashMap<>();
    private final List<Operation> interruptedAtStart;
    private volatile boolean stopping;
    /** Told the deployment of an operation that started or changed. */
    private final List<Consumer<String>> listeners = new CopyOnWriteArrayList<>();
    private final Map<String, ReentrantLock> admission = new ConcurrentHashMap<>();
    private final ExecutorService executor = Executors.newCachedThreadPool(r -> {
        Thread thread = new Thread(r, "operation");
        thread.setDaemon(true);
        return thread;
    });

    public OperationService(Topology topology, Journal journal, List<ModeRunbook> modes) {
        this.journal = journal;
        JournalRecovery.Recovered recovered = JournalRecovery.recover(journal, deployment -> topology.deployment(deployment)
                .map(DeploymentConfig::deploymentMode).map(mode -> ModeRunbook.of(modes, mode)).orElse(null));
        recovered.operations().forEach(op -> {
            operations.put(op.id(), op);
            watch(op);
        });
        this.interruptedAtStart = List.copyOf(recovered.interruptedNow());
    }

    public Optional<Operation> operation(String id) {
        return Optional.ofNullable(operations.get(id));
    }

    /** Every operation of the journal (earlier runs included) and of this run, in no particular order. */
    public List<Operation> operations() {
        return List.copyOf(operations.values());
    }

    /** Calls {@code listener} with the deployment of every operation that starts or changes from now on. */
    public void onChange(Consumer<String> listener) {
        listeners.add(listener);
    }

    private void watch(Operation op) {
        op.onChange(() -> listeners.forEach(l -> l.accept(op.deployment())));
    }

    /** The operations this start found cut off by an earlier run (and marked interrupted). */
    public List<Operation> interruptedAtStart() {
        return interruptedAtStart;
    }

    public boolean stopping() {
        return stopping;
    }

    /**
     * One request at a time per deployment: a request that finds another one of the same deployment being admitted
     * (or a rollback running) is refused at once rather than queued behind a server that may hang. Other deployments
     * are never held up.
     */
    public Outcome oneAtATime(DeploymentConfig deployment, Supplier<Outcome> request) {
        ReentrantLock lock = admission.computeIfAbsent(deployment.name(), name -> new ReentrantLock());
        if (!lock.tryLock()) {
            return Refusal.of(Refusal.Cause.BUSY, "another request on " + deployment.name()
                    + " is being handled right now; retry when it has answered");
        }
        try {
            return request.get();
        } finally {
            lock.unlock();
        }
    }

    /** Why no new operation may start on the deployment now (null: one may). */
    public Refusal cannotStart(DeploymentConfig deployment) {
        if (stopping) {
            return Refusal.of(Refusal.Cause.STOPPING, "the daemon is stopping: no new operation starts");
        }
        Operation busy = running.get(deployment.name());
        // one that has ended is only closing its sessions: a client that read its end may start the next at once
        if (busy != null && busy.state() == OperationState.RUNNING) {
            return Refusal.of(Refusal.Cause.BUSY, "operation " + busy.id() + " (" + busy.kind() + ") is already running on "
                    + deployment.name());
        }
        return null;
    }

    /** Journals an operation's start (at the time it was admitted) and makes it visible through {@link #operation}. */
    public void started(Operation op) {
        journal.append(new JournalEntry(op.id(), op.deployment(), JournalEvent.OPERATION_STARTED, null,
                OperationState.RUNNING.label(), op.kind().label(), op.startedAt(), null));
        operations.put(op.id(), op);
        watch(op);
        listeners.forEach(l -> l.accept(op.deployment()));
    }

    /** Runs the rest of an admitted operation in the background; it counts as running on its deployment until then. */
    public void runInBackground(OperationContext context, Runnable rest) {
        Operation op = context.operation();
        running.put(op.deployment(), op);
        runningContexts.put(op.id(), context);
        if (stopping) {
            // the stop began while this operation was being admitted: it was not told yet
            context.requestStop();
        }
        executor.submit(() -> {
            try {
                rest.run();
            } finally {
                runningContexts.remove(op.id());
                running.remove(op.deployment(), op);
            }
        });
    }

    /** Work the daemon does by itself in the background (an abort after a restart), ended by the stop like operations. */
    public void background(Runnable work) {
        executor.submit(work);
    }

    /**
     * A stopping daemon (SIGTERM, systemctl stop) does not cut an operation off mid-way: a cutover before its point
     * of no return aborts at once (blue writable again), one past it finishes; both are given {@link #STOP_GRACE}.
     * Only what is still running then is left to read as interrupted on the next start.
     */
    @PreDestroy
    void stop() {
        // after this no operation starts (admission checks it), and every running one is told (one admitted
        // meanwhile tells itself)
        stopping = true;
        runningContexts.values().forEach(OperationContext::requestStop);
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
