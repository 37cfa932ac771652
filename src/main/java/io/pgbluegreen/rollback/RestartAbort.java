package io.pgbluegreen.rollback;

import io.pgbluegreen.operation.OperationKind;
import io.pgbluegreen.operation.History;
import io.pgbluegreen.operation.Operation;
import io.pgbluegreen.operation.OperationService;
import io.pgbluegreen.operation.Outcome;
import io.pgbluegreen.operation.Refusal;

import io.pgbluegreen.config.DeploymentConfig;
import io.pgbluegreen.config.Topology;
import io.pgbluegreen.journal.JournalEntry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.List;
import java.util.function.BooleanSupplier;

/**
 * A daemon that crashed mid-cutover and is started again finishes the abort by itself, so that blue takes writes
 * again within seconds instead of waiting for a person, but only where the journal proves the point of no return
 * was never started (green cannot have been promoted or taken clients): it undoes the fence, re-enables the
 * subscription, gives PgBouncer back, through the same rollback an operator would ask for (and its lock). From the
 * point of no return on it only reports. Blue may be down when the daemon starts: it retries for a while.
 */
final class RestartAbort {
    private static final Logger LOG = LoggerFactory.getLogger(RestartAbort.class);
    static final Duration RETRY_EVERY = Duration.ofSeconds(2);

    private RestartAbort() {
    }

    /**
     * The deployments whose latest cutover this start found cut off (one an earlier start found had its chance then)
     * before its point of no return.
     */
    static List<Operation> due(Topology topology, List<ModeRollback> modes, List<JournalEntry> journal,
                               List<Operation> interruptedNow) {
        return interruptedNow.stream().filter(op -> op.kind() == OperationKind.CUTOVER).filter(op -> {
            DeploymentConfig d = topology.deployment(op.deployment()).orElse(null);
            ModeRollback mode = d == null ? null : ModeRollback.of(modes, d.deploymentMode());
            if (mode == null) {
                return false;
            }
            History history = History.latestCutover(journal, d.name());
            return history != null && op.id().equals(history.operationId()) && mode.actsAfterRestart(history);
        }).toList();
    }

    /** Rolls the deployment back, retrying while it is refused for a reason a retry can cure. */
    static void run(RollbackService rollbacks, DeploymentConfig deployment, String cutoverId, BooleanSupplier stopping) {
        long deadline = System.nanoTime() + OperationService.RESTART_ABORT_RETRY_FOR.toNanos();
        while (!stopping.getAsBoolean()) {
            Outcome outcome = rollbacks.rollback(deployment, cutoverId);
            if (outcome instanceof Outcome.Accepted accepted) {
                LOG.warn("{}: the cutover cut off before its point of no return is aborted by rollback {} after the"
                        + " restart: {}", deployment.name(), accepted.operation().id(), accepted.operation().view().state());
                return;
            }
            Refusal refusal = outcome instanceof Refusal r ? r : Refusal.of(Refusal.Cause.UNSAFE, String.valueOf(outcome));
            if (refusal.cause() == Refusal.Cause.NOTHING_TO_DO) {
                LOG.info("{}: the cutover cut off at the restart left nothing to give back ({})", deployment.name(),
                        refusal.reason());
                return;
            }
            if (!refusal.retryCanHelp() || System.nanoTime() > deadline) {
                LOG.error("{}: the cutover cut off before its point of no return could not be aborted after the restart"
                        + " ({}); POST /deployments/{}/rollback", deployment.name(), refusal.reason(), deployment.name());
                return;
            }
            try {
                Thread.sleep(RETRY_EVERY.toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }
}
