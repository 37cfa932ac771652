package io.pgbluegreen.rollback;

import io.pgbluegreen.journal.StepFact;
import io.pgbluegreen.postgres.Statements;
import io.pgbluegreen.cutover.ProveQuietStep;

import io.pgbluegreen.fence.Fencer;
import io.pgbluegreen.operation.OperationContext;
import io.pgbluegreen.operation.Step;
import io.pgbluegreen.operation.StepFailure;
import io.pgbluegreen.fence.XidAudit;

import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * With green fenced, waits until nothing can still write there (no client session but ours, no transaction holding an
 * id), then tells whether green took writes since its baseline: the ids it handed out since, but ours (journaled by
 * every step of ours that writes on green), aborted ones and ANALYZE's. What the rollback does next depends on it.
 */
public final class AuditGreenStep implements Step {
    /** This step's name in the journal and the API. */
    public static final String NAME = "audit_green";
    static final Duration QUIET_TIMEOUT = Duration.ofSeconds(10);
    private final long baseline;
    private final List<Long> runningAtBaseline;
    private final Set<Long> journaledOwn;
    private final String reverseSlot;

    public AuditGreenStep(long baseline, List<Long> runningAtBaseline, Set<Long> journaledOwn, String reverseSlot) {
        this.baseline = baseline;
        this.runningAtBaseline = runningAtBaseline;
        this.reverseSlot = reverseSlot;
        this.journaledOwn = journaledOwn;
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public String run(OperationContext context) throws Exception {
        var green = context.green();
        Fencer.Quiet quiet = Fencer.awaitOnlyOurs(green, FenceGreenStep.spared(reverseSlot), QUIET_TIMEOUT,
                () -> green.queryLong(Statements.WRITERS) == 0);
        if (!quiet.quiet()) {
            throw new StepFailure("green is not quiet " + QUIET_TIMEOUT.toSeconds() + "s after its fence: "
                    + (quiet.left().isEmpty() ? "a transaction still holds an id" : "session(s) " + String.join(", ", quiet.left())));
        }
        Set<Long> ours = new HashSet<>(journaledOwn);
        ours.addAll(context.ownGreenXids());
        long next = green.queryLong(Statements.NEXT_XID);
        XidAudit.Finding finding = XidAudit.auditOpen(green, baseline, next, ours, runningAtBaseline);
        context.greenWrote(!finding.clean());
        context.remember(name(), new StepFact.GreenAudited(!finding.clean()));
        return (finding.clean() ? "green took no writes since the cutover: " : "green took writes since the cutover: ")
                + finding.summary();
    }
}
