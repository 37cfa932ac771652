package io.pgbluegreen.cutover;

import io.pgbluegreen.operation.OperationContext;
import io.pgbluegreen.operation.Refusal;
import io.pgbluegreen.operation.Step;
import io.pgbluegreen.operation.StepFailure;

/**
 * Single flight across daemons: a session-level advisory lock on blue, held by a dedicated session until the
 * operation ends (a second pg-bluegreen instance pointed at the same blue is refused).
 */
public final class AcquireLockStep implements Step {
    /** This step's name in the journal and the API. */
    public static final String NAME = "acquire_lock";
    static final String TRY_LOCK = "SELECT pg_try_advisory_lock(hashtext('pg-bluegreen:' || ?))";

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public String run(OperationContext context) throws Exception {
        Refusal refusal = tryLock(context);
        if (refusal != null) {
            throw new StepFailure(refusal.reason());
        }
        return "advisory lock taken on blue";
    }

    /** Takes the lock for the operation (a rollback too); returns why it could not, or null. */
    public static Refusal tryLock(OperationContext context) {
        try {
            if (!context.lockSession().queryBoolean(TRY_LOCK, context.deployment().name())) {
                return Refusal.of(Refusal.Cause.BUSY, "another pg-bluegreen instance holds the operation lock of "
                        + context.deployment().name() + " on blue");
            }
            context.sparedPids().add((int) context.lockSession().queryLong("SELECT pg_backend_pid()"));
            return null;
        } catch (java.sql.SQLException e) {
            return Refusal.of(Refusal.Cause.UNREACHABLE, "cannot take the operation lock on blue: " + e.getMessage());
        }
    }
}
