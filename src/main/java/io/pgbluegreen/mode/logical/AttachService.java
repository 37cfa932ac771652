package io.pgbluegreen.mode.logical;

import io.pgbluegreen.journal.JournalEvent;
import io.pgbluegreen.operation.StepState;
import io.pgbluegreen.operation.OperationKind;
import io.pgbluegreen.config.DeploymentConfig;
import io.pgbluegreen.config.Topology;
import io.pgbluegreen.journal.Journal;
import io.pgbluegreen.journal.JournalEntry;
import io.pgbluegreen.operation.Operation;
import io.pgbluegreen.operation.OperationService;
import io.pgbluegreen.operation.OperationState;
import io.pgbluegreen.operation.Outcome;
import io.pgbluegreen.operation.Refusal;
import jakarta.inject.Singleton;

import java.time.Instant;
import java.util.List;

/** The attach helper ({@link LogicalAttach}), journaled as an operation of its own once its checks pass. */
@Singleton
public class AttachService {
    private static final List<String> STEPS = List.of("create_subscription", "advance_origin", "enable_subscription");
    private final Topology topology;
    private final Journal journal;
    private final OperationService operations;

    public AttachService(Topology topology, Journal journal, OperationService operations) {
        this.topology = topology;
        this.journal = journal;
        this.operations = operations;
    }

    public Outcome attach(DeploymentConfig deployment, String lsn, String publication) {
        return operations.oneAtATime(deployment, () -> run(deployment, lsn, publication));
    }

    private Outcome run(DeploymentConfig deployment, String lsn, String publication) {
        Refusal cannot = operations.cannotStart(deployment);
        if (cannot != null) {
            return cannot;
        }
        Operation op = Operation.start(deployment.name(), OperationKind.ATTACH);
        Instant started = Instant.now();
        LogicalAttach.Result result = LogicalAttach.attach(topology, deployment, lsn, publication);
        if (result.invalid() != null) {
            return new Outcome.Invalid(result.invalid());
        }
        if (result.refusal() != null) {
            return result.refusal();
        }
        operations.started(op);
        // the attach ran as one call before it was admitted as an operation: its steps are journaled now, so that a
        // restarted daemon shows them (and their times) as this one does
        Instant ended = Instant.now();
        for (int i = 0; i < result.done().size(); i++) {
            String step = STEPS.get(i);
            journal.append(new JournalEntry(op.id(), deployment.name(), JournalEvent.STEP_STARTED, step,
                    StepState.RUNNING.label(), null, started, null));
            op.stepStarted(step, started);
            journal.append(new JournalEntry(op.id(), deployment.name(), JournalEvent.STEP_FINISHED, step,
                    StepState.SUCCEEDED.label(), result.done().get(i), ended, null));
            op.stepEnded(step, StepState.SUCCEEDED, ended, result.done().get(i));
        }
        Instant at = Instant.now();
        String detail = String.join("; ", result.done());
        journal.append(new JournalEntry(op.id(), deployment.name(), JournalEvent.OPERATION_FINISHED, null,
                OperationState.SUCCEEDED.label(), detail, at, null));
        op.finish(OperationState.SUCCEEDED, detail, List.of("watch GET /deployments/" + deployment.name()
                + "/gate until it is ready"), at);
        return new Outcome.Accepted(op);
    }
}
