package io.pgbluegreen.operation;

import io.pgbluegreen.postgres.Statements;

import io.pgbluegreen.postgres.TargetSession;

import io.pgbluegreen.journal.StepFact;

import java.util.List;

/**
 * The "green took no writes" baseline a rollback compares with: the first transaction id after our own last write
 * on green, taken inside that write (so nothing can slip in between) and before any client can reach green (before
 * its logins come back, before PgBouncer resumes). Our write is also the proof that green takes writes. Journaled
 * with the transactions running on green then (a client on a logical green, which is never fenced, may have got its
 * id before and commit after): a rollback looks at them too.
 */
public final class GreenBaseline {
    private GreenBaseline() {
    }

    /**
     * Green is fenced and quiet and blue has everything it wrote (reverse_catch_up): the baseline moves to green's next
     * id now, so that a rollback cut off later, or retried, does not take what blue has already for writes to carry.
     */
    public static void moveToNow(OperationContext context, String step) throws java.sql.SQLException {
        long next = context.green().queryLong(Statements.NEXT_XID);
        context.remember(step, new StepFact.GreenBaselineTaken(next, List.of()));
    }

    /** Journals the baseline after our write {@code last}, and what was running then; returns the baseline. */
    public static long record(OperationContext context, TargetSession.Write last) {
        long baseline = last.xid() + 1;
        context.rememberAtEnd(new StepFact.GreenBaselineTaken(baseline, List.copyOf(last.runningThen())));
        return baseline;
    }
}
