package io.pgbluegreen.operation;

import io.pgbluegreen.fence.Fence;
import io.pgbluegreen.fence.Fencer;

import io.pgbluegreen.config.DeploymentConfig;
import io.pgbluegreen.config.Topology;
import io.pgbluegreen.gate.Thresholds;
import io.pgbluegreen.journal.Journal;
import io.pgbluegreen.journal.JournalEntry;
import io.pgbluegreen.journal.JournalEvent;
import io.pgbluegreen.journal.StepFact;
import io.pgbluegreen.postgres.Lsn;
import io.pgbluegreen.postgres.TargetSession;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * What the steps of one operation share: the deployment, sessions to both sides (opened on first use; the lock
 * session stays open for the whole operation), and what earlier steps established (the fence, blue's final
 * position and next transaction id). Steps record data that an undo or a restart needs through {@link #remember}.
 */
public final class OperationContext implements AutoCloseable {
    private final Operation operation;
    private final DeploymentConfig deployment;
    private final Topology topology;
    private final Thresholds thresholds;
    private final Journal journal;
    private TargetSession blue;
    private TargetSession green;
    private TargetSession lock;
    private io.pgbluegreen.pgbouncer.PgBouncerSwitch pgbouncer;
    private Fence fence;
    private Lsn finalLsn;
    private Long blueNextXid;
    private final java.util.Set<Long> ownBlueXids = new java.util.HashSet<>();
    private final java.util.Set<Long> ownGreenXids = new java.util.HashSet<>();
    private Fence greenFence;
    private final List<StepFact> atEnd = new ArrayList<>();
    private java.util.Set<String> tablesAtGate;
    private Boolean greenWrote;
    private volatile boolean stopRequested;
    private boolean pgbouncerPaused;
    private final List<Integer> sparedPids = new ArrayList<>();
    private final ModeState state;

    public OperationContext(Operation operation, DeploymentConfig deployment, Topology topology, Thresholds thresholds,
                          Journal journal, ModeState state) {
        this.operation = operation;
        this.state = state;
        this.deployment = deployment;
        this.topology = topology;
        this.thresholds = thresholds;
        this.journal = journal;
    }

    /** What the deployment's mode keeps for this operation (its steps' and its undo's). */
    public <T extends ModeState> T state(Class<T> type) {
        return type.cast(state);
    }

    public Operation operation() {
        return operation;
    }

    public DeploymentConfig deployment() {
        return deployment;
    }

    public Thresholds thresholds() {
        return thresholds;
    }

    public TargetSession blue() {
        if (blue == null) {
            blue = new TargetSession(topology.targets().get(deployment.blue()), topology.sampling());
        }
        return blue;
    }

    public TargetSession green() {
        if (green == null) {
            green = new TargetSession(topology.targets().get(deployment.green()), topology.sampling());
        }
        return green;
    }

    /** New sessions for undo: the operation's own may have died with whatever made it fail. */
    public TargetSession freshBlue() {
        return new TargetSession(topology.targets().get(deployment.blue()), topology.sampling());
    }

    public TargetSession freshGreen() {
        return new TargetSession(topology.targets().get(deployment.green()), topology.sampling());
    }

    /** A separate blue session that holds the advisory lock until the operation ends. */
    public TargetSession lockSession() {
        if (lock == null) {
            lock = new TargetSession(topology.targets().get(deployment.blue()), topology.sampling());
        }
        return lock;
    }

    /** The deployment's PgBouncer, or null when the applications do not go through one. */
    public io.pgbluegreen.pgbouncer.PgBouncerSwitch pgbouncer() {
        if (pgbouncer == null) {
            var settings = io.pgbluegreen.pgbouncer.PgBouncerSettings.of(deployment.pgbouncer());
            pgbouncer = settings == null ? null : new io.pgbluegreen.pgbouncer.PgBouncerSwitch(settings, topology.sampling().socketTimeout());
        }
        return pgbouncer;
    }

    public boolean pgbouncerPaused() {
        return pgbouncerPaused;
    }

    public void pgbouncerPaused(boolean paused) {
        this.pgbouncerPaused = paused;
    }

    public io.pgbluegreen.config.TargetConfig blueTarget() {
        return topology.targets().get(deployment.blue());
    }

    public io.pgbluegreen.config.SamplingConfig sampling() {
        return topology.sampling();
    }

    public io.pgbluegreen.config.TargetConfig greenTarget() {
        return topology.targets().get(deployment.green());
    }

    /** The deployment's Patroni cluster (null: it has none). */
    public io.pgbluegreen.config.PatroniClusterConfig patroniCluster() {
        return deployment.patroniCluster() == null ? null : topology.patroniClusters().get(deployment.patroniCluster());
    }

    public String blueAddress() {
        return topology.targets().get(deployment.blue()).url();
    }

    public String greenAddress() {
        return topology.targets().get(deployment.green()).url();
    }

    public Fence fence() {
        return fence;
    }

    public void fence(Fence value) {
        this.fence = value;
    }

    public Lsn finalLsn() {
        return finalLsn;
    }

    /** Blue's final position and next transaction id (for the post-checks' audit). */
    public void finalPosition(Lsn lsn, long nextXid) {
        this.finalLsn = lsn;
        this.blueNextXid = nextXid;
    }

    /** Transaction ids our own steps used on blue after the capture (not a client's write). */
    public java.util.Set<Long> ownBlueXids() {
        return ownBlueXids;
    }

    public Long blueNextXid() {
        return blueNextXid;
    }

    /** Sessions of this operation on blue that fencing must not end (the lock holder). */
    public List<Integer> sparedPids() {
        return sparedPids;
    }

    /** What a fence of blue leaves alone: the lock holder, and (logical) the walsender of green's subscription. */
    public Fencer.Spared sparedOnBlue() {
        return new Fencer.Spared(List.copyOf(sparedPids),
                deployment.slot() == null ? List.of() : List.of(deployment.slot()));
    }

    /** The daemon is stopping: steps before the point of no return give up (their waits too), so the runner aborts. */
    public void requestStop() {
        stopRequested = true;
    }

    public boolean stopRequested() {
        return stopRequested;
    }

    /** For the waits before the point of no return: ends them at once when the daemon is stopping. */
    public void failIfStopping() throws StepFailure {
        if (stopRequested) {
            throw new StepFailure("the daemon is stopping");
        }
    }

    /** Journals (fsynced) facts a later undo or a restarted daemon needs, before the step that depends on them acts. */
    public void remember(String step, StepFact... facts) {
        journal.append(new JournalEntry(operation.id(), deployment.name(), JournalEvent.STEP_DATA, step, null, null,
                Instant.now(), List.of(facts)));
    }

    /**
     * Facts that count only once the step finished (green's baseline, blue's final position): journaled with the
     * step's end instead of a line of their own, one fsync less inside the write pause. A crash before the end loses
     * them, which leaves the safe reading (no baseline: a rollback is refused).
     */
    public void rememberAtEnd(StepFact... facts) {
        atEnd.addAll(List.of(facts));
    }

    /** What {@link #rememberAtEnd} collected for the step now ending, null when nothing (and forgets it). */
    public List<StepFact> takeAtEnd() {
        List<StepFact> facts = atEnd.isEmpty() ? null : List.copyOf(atEnd);
        atEnd.clear();
        return facts;
    }

    /** Journals that the fence applied by {@code step} (e.g. fence_blue or fence_green) is undone. */
    public void journalFenceUndone(String step, String detail) {
        journal.append(new JournalEntry(operation.id(), deployment.name(), JournalEvent.FENCE_UNDONE, step, null, detail,
                Instant.now(), null));
    }

    /**
     * Runs our own write on green as one transaction and journals its id, so that no rollback (this one or a later
     * one, after a restart too) ever reads it as a client's write.
     */
    public long writeOnGreen(String step, String... statements) throws java.sql.SQLException {
        long xid = green().writeAsOne(statements);
        ownGreenXid(step, xid);
        return xid;
    }

    /** Journals a transaction id our own step used on green (see {@link #writeOnGreen}). */
    public void ownGreenXid(String step, long xid) {
        ownGreenXids.add(xid);
        remember(step, new StepFact.OwnGreenXid(xid));
    }

    /** Transaction ids this operation's own steps used on green. */
    public java.util.Set<Long> ownGreenXids() {
        return ownGreenXids;
    }

    /** Blue's user tables when the live gate passed (null: not known). */
    public java.util.Set<String> tablesAtGate() {
        return tablesAtGate;
    }

    public void tablesAtGate(List<String> tables) {
        this.tablesAtGate = java.util.Set.copyOf(tables);
    }

    /** The fence a rollback put on green (null: none yet). */
    public Fence greenFence() {
        return greenFence;
    }

    public void greenFence(Fence fence) {
        this.greenFence = fence;
    }

    /** What audit_green found: green took writes since its baseline (null: not audited yet). */
    public Boolean greenWrote() {
        return greenWrote;
    }

    public void greenWrote(boolean wrote) {
        this.greenWrote = wrote;
    }

    @Override
    public void close() {
        for (TargetSession session : new TargetSession[]{blue, green, lock}) {
            if (session != null) {
                session.close();
            }
        }
        if (pgbouncer != null) {
            pgbouncer.close();
        }
    }
}
