package io.pgbluegreen.cutover.step;

import io.pgbluegreen.cutover.CutoverContext;
import io.pgbluegreen.cutover.Step;
import io.pgbluegreen.cutover.StepFailure;

/**
 * Single flight across daemons: a session-level advisory lock on blue, held by a dedicated session until the
 * operation ends (a second pg-bluegreen instance pointed at the same blue is refused).
 */
public final class AcquireLockStep implements Step {
    static final String TRY_LOCK = "SELECT pg_try_advisory_lock(hashtext('pg-bluegreen:' || ?))";

    @Override
    public String name() {
        return "acquire_lock";
    }

    @Override
    public String run(CutoverContext context) throws Exception {
        String refusal = tryLock(context);
        if (refusal != null) {
            throw new StepFailure(refusal);
        }
        return "advisory lock taken on blue";
    }

    /** Takes the lock for the operation (a rollback too); returns why it could not, or null. */
    public static String tryLock(CutoverContext context) {
        try {
            if (!context.lockSession().queryBoolean(TRY_LOCK, context.deployment().name())) {
                return "another pg-bluegreen instance holds the operation lock of " + context.deployment().name() + " on blue";
            }
            context.sparedPids().add((int) context.lockSession().queryLong("SELECT pg_backend_pid()"));
            return null;
        } catch (java.sql.SQLException e) {
            return "cannot take the operation lock on blue: " + e.getMessage();
        }
    }
}
