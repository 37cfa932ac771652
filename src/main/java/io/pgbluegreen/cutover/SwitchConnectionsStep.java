package io.pgbluegreen.cutover;

import io.pgbluegreen.journal.StepFact;
import io.pgbluegreen.operation.OperationContext;
import io.pgbluegreen.operation.Step;
import io.pgbluegreen.pgbouncer.PgBouncerIni;

/**
 * Points clients at green: with PgBouncer, its database entry is rewritten to green, reloaded and resumed, so the
 * paused clients carry on against green. Without it, the operation reports the new primary's address for the
 * operator's own switch (DNS, service discovery, application config).
 */
public final class SwitchConnectionsStep implements Step {
    /** This step's name in the journal and the API. */
    public static final String NAME = "switch_connections";
    @Override
    public String name() {
        return NAME;
    }

    @Override
    public String run(OperationContext context) throws Exception {
        var pgbouncer = context.pgbouncer();
        if (pgbouncer == null) {
            return "no PgBouncer configured: point clients at green, " + context.greenAddress();
        }
        // the previous entry is kept for the record only: its password stays out of the journal and the detail
        String previous = PgBouncerIni.redacted(pgbouncer.pointAt(context.greenAddress()));
        context.remember(name(), new StepFact.PgBouncerRepointed(previous));
        context.pgbouncerPaused(false);
        return "PgBouncer database " + pgbouncer.settings().database() + " now points at green and is resumed (was: "
                + previous + ")";
    }
}
